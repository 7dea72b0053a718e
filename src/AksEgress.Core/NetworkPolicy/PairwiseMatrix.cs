namespace AksEgress.NetworkPolicy;

/// <summary>
/// The connectivity matrix evaluated pair by pair with <see cref="ReachabilityEngine"/>: the reference that
/// <see cref="ClassMatrix"/> must agree with (a property test checks it), and the baseline of its benchmark.
/// </summary>
public static class PairwiseMatrix
{
    /// <param name="destinations">Only these destinations (all pods by default): lets a benchmark sample the baseline.</param>
    public static IEnumerable<ConnectivityEntry> Compute(ClusterModel cluster, PolicyEngine? engine, int? port, string protocol = "TCP", IEnumerable<WorkloadPod>? destinations = null, Version? kubernetesVersion = null)
    {
        var evaluator = new ReachabilityEngine(cluster, engine, kubernetesVersion);
        foreach (var to in destinations ?? cluster.Pods)
        {
            var ports = port is { } p ? [(p, protocol)] : to.Ports.Select(c => (c.Port, c.Protocol)).Distinct().ToList();
            if (ports.Count == 0)
            {
                continue;
            }

            foreach (var from in cluster.Pods.Where(f => f != to))
            {
                var verdicts = ports.Select(x => evaluator.Evaluate(Endpoint.Of(from), Endpoint.Of(to), x.Item1, x.Item2)).ToList();
                yield return new ConnectivityEntry
                {
                    From = from.Id, To = to.Id, Allowed = verdicts.Any(v => v.Allowed),
                    AllowedPorts = verdicts.Where(v => v.Allowed).Select(v => $"{v.Protocol}/{v.Port}").ToList(),
                    DeniedPorts = verdicts.Where(v => !v.Allowed).Select(v => $"{v.Protocol}/{v.Port}").ToList(),
                };
            }
        }
    }
}
