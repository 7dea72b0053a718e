namespace AksEgress.NetworkPolicy;

/// <summary>
/// Who can reach whom: every ordered pair of pods, on one port, or on each port the destination declares.
/// </summary>
public static class ConnectivityMatrix
{
    public static IEnumerable<ConnectivityEntry> Compute(ClusterModel cluster, PolicyEngine? engine, int? port, string protocol = "TCP")
    {
        var evaluator = new ReachabilityEngine(cluster, engine);
        foreach (var to in cluster.Pods)
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
