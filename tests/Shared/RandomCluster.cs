using System.Net;
using AksEgress.NetworkPolicy;

namespace AksEgress.Testing;

/// <summary>
/// Seeded random clusters for the property tests and the benchmarks: namespaces, pods with labels, named ports,
/// addresses and some hostNetwork pods, and policies using every construct of the specification.
/// </summary>
public static class RandomCluster
{
    private static readonly string[] Apps = ["web", "api", "db", "cache", "queue", "auth", "search", "report"];
    private static readonly string[] Tiers = ["front", "back", "data"];
    private static readonly (string Name, int Port, string Protocol)[] PortChoices =
        [("http", 80, "TCP"), ("http", 8080, "TCP"), ("https", 443, "TCP"), ("dns", 53, "UDP"), ("sql", 5432, "TCP"), ("metrics", 9090, "TCP"), ("sctp-x", 3868, "SCTP")];

    /// <param name="templates">When set, pods are replicas of this many pod templates (as Deployments make them): same
    /// namespace, labels, ports and hostNetwork, each with its own address.</param>
    public static ClusterModel Generate(int seed, int pods, int policies, int? namespaces = null, int labelVariety = 8, int? templates = null)
    {
        var random = new Random(seed);
        var nsCount = namespaces ?? Math.Max(2, pods / 40);
        var nsNames = Enumerable.Range(0, nsCount).Select(i => $"ns{i}").ToList();
        var nsInfos = nsNames.Select(n => new NamespaceInfo(n, new Dictionary<string, string>
        {
            [NamespaceInfo.NameLabel] = n,
            ["env"] = random.Next(2) == 0 ? "prod" : "dev",
            ["team"] = $"t{random.Next(3)}",
        })).ToList();
        var source = new SourceSpan("generated.yaml", 1, 1);

        var podList = new List<WorkloadPod>();
        for (var i = 0; i < pods; i++)
        {
            if (templates is { } t && i >= t)
            {
                podList.Add(podList[i % t] with { Name = $"pod{i}", Workload = $"{podList[i % t].Namespace}/Deployment/template{i % t}", Ip = IPAddress.Parse($"10.{random.Next(4)}.{random.Next(4)}.{random.Next(1, 250)}") });
                continue;
            }

            var labels = new Dictionary<string, string> { ["app"] = Apps[random.Next(Math.Min(labelVariety, Apps.Length))] + (labelVariety > Apps.Length ? random.Next(labelVariety / Apps.Length).ToString() : "") };
            if (random.Next(2) == 0)
            {
                labels["tier"] = Tiers[random.Next(Tiers.Length)];
            }

            // Labels only some selectors use (version), and labels no selector uses (a hash per pod, as controllers add).
            if (random.Next(2) == 0)
            {
                labels["version"] = random.Next(2) == 0 ? "v1" : "v2";
            }

            labels["pod-template-hash"] = random.Next(1_000_000).ToString("x5", System.Globalization.CultureInfo.InvariantCulture);

            podList.Add(new WorkloadPod
            {
                Namespace = nsNames[random.Next(nsCount)], Name = $"pod{i}", Kind = "Pod", Labels = labels,
                Ports = Enumerable.Range(0, random.Next(3)).Select(_ => PortChoices[random.Next(PortChoices.Length)]).Distinct().Select(p => new ContainerPort(p.Name, p.Port, p.Protocol)).GroupBy(p => (p.Name, p.Protocol)).Select(g => g.First()).ToList(),
                HostNetwork = random.Next(40) == 0,
                Ip = random.Next(3) == 0 ? IPAddress.Parse($"10.{random.Next(4)}.{random.Next(4)}.{random.Next(1, 250)}") : null,
                Source = source,
            });
        }

        var policyList = new List<KubernetesNetworkPolicy>();
        for (var i = 0; i < policies; i++)
        {
            var types = random.Next(4) switch { 0 => new List<string>(), 1 => ["Ingress"], 2 => ["Egress"], _ => ["Ingress", "Egress"] };
            var ingress = Rules(random);
            var egress = Rules(random);
            policyList.Add(new KubernetesNetworkPolicy
            {
                Namespace = nsNames[random.Next(nsCount)], Name = $"policy{i}", PodSelector = Selector(random, allowEmpty: true), PolicyTypes = types,
                IsolatesIngress = types.Count == 0 || types.Contains("Ingress"),
                IsolatesEgress = types.Count == 0 ? egress.Count > 0 : types.Contains("Egress"),
                Ingress = ingress, Egress = egress, Source = source,
            });
        }

        return new ClusterModel(podList, nsInfos, policyList);
    }

    private static List<PolicyRule> Rules(Random random) =>
        Enumerable.Range(0, random.Next(3)).Select(_ => new PolicyRule(
            Enumerable.Range(0, random.Next(3)).Select(_ => Peer(random)).ToList(),
            Enumerable.Range(0, random.Next(3)).Select(_ => Port(random)).ToList())).ToList();

    private static PolicyPeer Peer(Random random) => random.Next(5) switch
    {
        0 => new PolicyPeer(Selector(random, true), null, null),
        1 => new PolicyPeer(null, NamespaceSelector(random), null),
        2 => new PolicyPeer(Selector(random, true), NamespaceSelector(random), null),
        3 => new PolicyPeer(null, null, new IpBlock(IpNetwork.Parse($"10.{random.Next(4)}.0.0/16")!.Value,
            random.Next(2) == 0 ? [IpNetwork.Parse($"10.0.{random.Next(4)}.0/24")!.Value] : [])),
        _ => new PolicyPeer(Selector(random, false), null, null),
    };

    private static PolicyPort Port(Random random)
    {
        var (name, port, protocol) = PortChoices[random.Next(PortChoices.Length)];
        return random.Next(5) switch
        {
            0 => new PolicyPort(protocol, null, name, null),
            1 => new PolicyPort(protocol, port, null, port + random.Next(100)),
            2 => new PolicyPort(protocol, null, null, null),
            _ => new PolicyPort(protocol, port, null, null),
        };
    }

    private static LabelSelector Selector(Random random, bool allowEmpty)
    {
        if (allowEmpty && random.Next(4) == 0)
        {
            return LabelSelector.Everything;
        }

        var labels = new Dictionary<string, string>();
        var expressions = new List<LabelSelectorRequirement>();
        switch (random.Next(5))
        {
            case 4:
                expressions.Add(new LabelSelectorRequirement("version", random.Next(2) == 0 ? "In" : "NotIn", ["v1"]));
                break;
            case 0:
                expressions.Add(new LabelSelectorRequirement("tier", random.Next(2) == 0 ? "Exists" : "DoesNotExist", []));
                break;
            case 1:
                expressions.Add(new LabelSelectorRequirement("app", random.Next(2) == 0 ? "In" : "NotIn", [Apps[random.Next(Apps.Length)], Apps[random.Next(Apps.Length)]]));
                break;
            default:
                labels["app"] = Apps[random.Next(Apps.Length)];
                break;
        }

        return new LabelSelector(labels, expressions);
    }

    private static LabelSelector NamespaceSelector(Random random) => random.Next(3) switch
    {
        0 => LabelSelector.Everything,
        1 => new LabelSelector(new Dictionary<string, string> { ["env"] = "prod" }, []),
        _ => new LabelSelector(new Dictionary<string, string> { ["team"] = $"t{random.Next(3)}" }, []),
    };
}
