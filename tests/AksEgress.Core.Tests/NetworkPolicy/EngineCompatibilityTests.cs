using AksEgress.NetworkPolicy;
using static AksEgress.Core.Tests.NetworkPolicy.Manifests;

namespace AksEgress.Core.Tests.NetworkPolicy;

/// <summary>What each AKS engine does not enforce as written (seed 001 and the engines' documented limits).</summary>
public class EngineCompatibilityTests
{
    private static string Policy(string spec) => $"""
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: p
          namespace: demo
        spec:
          podSelector: {"{}"}
        {spec}

        """;

    private static List<NetworkPolicyFinding> Check(string yaml, PolicyEngine engine, Version? version = null) =>
        EngineCompatibility.Check(ClusterModel.From(Read(yaml)), engine, version).ToList();

    [Theory]
    [InlineData("  ingress: [ { ports: [ { port: http } ] } ]", FindingCodes.NamedPortUnsupported, "spec.ingress[0].ports[0]")]
    [InlineData("  ingress: [ { ports: [ { port: 5000, protocol: SCTP } ] } ]", FindingCodes.SctpUnsupported, "spec.ingress[0].ports[0]")]
    [InlineData("  ingress: [ { from: [ { podSelector: { matchExpressions: [ { key: debug, operator: DoesNotExist } ] } } ] } ]", FindingCodes.NegativeSelectorUnsupported, "spec.ingress[0].from[0]")]
    [InlineData("  ingress: [ { from: [ { namespaceSelector: { matchExpressions: [ { key: env, operator: NotIn, values: [dev] } ] } } ] } ]", FindingCodes.NegativeSelectorUnsupported, "spec.ingress[0].from[0]")]
    [InlineData("  egress: [ { to: [ { ipBlock: { cidr: 10.0.0.0/8, except: [10.1.0.0/16] } } ] } ]", FindingCodes.IpBlockExceptUnsupported, "spec.egress[0].to[0]")]
    public void Azure_npm_on_windows_reports_what_it_cannot_enforce(string spec, string code, string path)
    {
        var finding = Assert.Single(Check(Policy(spec), PolicyEngine.AzureNpmWindows));
        Assert.Equal((code, path, "AzureNpmWindows", "demo/p", 8), (finding.Code, finding.Path, finding.Engine, finding.Policy, finding.Line));
        Assert.Empty(Check(Policy(spec), PolicyEngine.Calico));
        Assert.DoesNotContain(Check(Policy(spec), PolicyEngine.AzureNpmLinux), f => f.Code == code);
    }

    [Fact]
    public void Azure_npm_does_not_enforce_ipv6_and_warns_about_many_ip_blocks()
    {
        var ipv6 = Policy("  egress: [ { to: [ { ipBlock: { cidr: 2001:db8::/32 } } ] } ]");
        Assert.Equal(FindingCodes.Ipv6Unsupported, Assert.Single(Check(ipv6, PolicyEngine.AzureNpmLinux)).Code);
        Assert.Equal(FindingCodes.Ipv6Unsupported, Assert.Single(Check(ipv6, PolicyEngine.AzureNpmWindows)).Code);
        var five = Policy("  egress: [ { to: [ " + string.Join(", ", Enumerable.Range(1, 5).Select(i => $"{{ ipBlock: {{ cidr: 10.{i}.0.0/16 }} }}")) + " ] } ]");
        var four = Policy("  egress: [ { to: [ " + string.Join(", ", Enumerable.Range(1, 4).Select(i => $"{{ ipBlock: {{ cidr: 10.{i}.0.0/16 }} }}")) + " ] } ]");
        Assert.Equal(FindingCodes.ManyIpBlocks, Assert.Single(Check(five, PolicyEngine.AzureNpmLinux)).Code);
        Assert.Empty(Check(four, PolicyEngine.AzureNpmLinux));
    }

    [Fact]
    public void Cilium_reports_host_network_pods_ip_blocks_over_pod_addresses_end_port_and_ambiguous_port_names()
    {
        var yaml = Policy("  ingress: [ { from: [ { ipBlock: { cidr: 10.0.1.0/24 } } ], ports: [ { port: 8000, endPort: 8100 }, { port: http } ] } ]")
            + Pod("demo", "agent", "{ app: agent }", "", "10.224.0.4", hostNetwork: true)
            + Pod("demo", "web", "{ app: web }", "{ name: http, containerPort: 8080 }", "10.0.1.10")
            + Pod("demo", "api", "{ app: api }", "{ name: http, containerPort: 9090 }", "10.0.1.11");
        var codes = Check(yaml, PolicyEngine.Cilium, new Version(1, 31)).Select(f => f.Code).OrderBy(c => c).ToList();
        Assert.Equal([FindingCodes.HostNetworkNotFiltered, FindingCodes.IpBlockMatchesPodIp, FindingCodes.EndPortNeedsNewerCilium, FindingCodes.AmbiguousPortName], codes);
        Assert.DoesNotContain(Check(yaml, PolicyEngine.Cilium, new Version(1, 32)), f => f.Code == FindingCodes.EndPortNeedsNewerCilium);
    }

    [Fact]
    public void Calico_supports_the_specification() =>
        Assert.Empty(Check(Policy("  ingress: [ { from: [ { podSelector: { matchExpressions: [ { key: a, operator: NotIn, values: [b] } ] } } ], ports: [ { port: http, protocol: SCTP }, { port: 1, endPort: 9 } ] } ]"), PolicyEngine.Calico));
}
