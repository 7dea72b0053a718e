using AksEgress.Diagnostics;
using AksEgress.NetworkPolicy;
using static AksEgress.Core.Tests.NetworkPolicy.Manifests;

namespace AksEgress.Core.Tests.NetworkPolicy;

/// <summary>What the API server refuses (pkg/apis/networking/validation), with file, line, column and field path.</summary>
public class ValidationTests
{
    // Line 8 is the first line of the spec body given to Policy().
    private static string Policy(string spec, string name = "p", string ns = "demo") => $"""
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: {name}
          namespace: {ns}
        spec:
          podSelector: {"{}"}
        {spec}

        """;

    [Theory]
    [InlineData("  ingress: [ { ports: [ { port: 0 } ] } ]", FindingCodes.InvalidPort, "spec.ingress[0].ports[0].port")]
    [InlineData("  ingress: [ { ports: [ { port: 65536 } ] } ]", FindingCodes.InvalidPort, "spec.ingress[0].ports[0].port")]
    [InlineData("  ingress: [ { ports: [ { protocol: ICMP, port: 1 } ] } ]", FindingCodes.InvalidProtocol, "spec.ingress[0].ports[0].protocol")]
    [InlineData("  ingress: [ { ports: [ { port: HTTP } ] } ]", FindingCodes.InvalidPortName, "spec.ingress[0].ports[0].port")]
    [InlineData("  ingress: [ { ports: [ { port: very-long-port-name } ] } ]", FindingCodes.InvalidPortName, "spec.ingress[0].ports[0].port")]
    [InlineData("  ingress: [ { ports: [ { port: \"80\" } ] } ]", FindingCodes.InvalidPortName, "spec.ingress[0].ports[0].port")]
    [InlineData("  ingress: [ { ports: [ { port: a--b } ] } ]", FindingCodes.InvalidPortName, "spec.ingress[0].ports[0].port")]
    [InlineData("  ingress: [ { ports: [ { port: -web } ] } ]", FindingCodes.InvalidPortName, "spec.ingress[0].ports[0].port")]
    [InlineData("  ingress: [ { ports: [ { port: http, endPort: 90 } ] } ]", FindingCodes.EndPortWithNamedPort, "spec.ingress[0].ports[0].endPort")]
    [InlineData("  ingress: [ { ports: [ { port: 90, endPort: 80 } ] } ]", FindingCodes.EndPortBeforePort, "spec.ingress[0].ports[0].endPort")]
    [InlineData("  ingress: [ { ports: [ { endPort: 80 } ] } ]", FindingCodes.EndPortWithoutPort, "spec.ingress[0].ports[0].endPort")]
    [InlineData("  egress: [ { to: [ {} ] } ]", FindingCodes.EmptyPeer, "spec.egress[0].to[0]")]
    [InlineData("  egress: [ { to: [ { ipBlock: { cidr: 10.0.0.0/8 }, podSelector: {} } ] } ]", FindingCodes.IpBlockWithSelector, "spec.egress[0].to[0]")]
    [InlineData("  egress: [ { to: [ { ipBlock: { cidr: 10.0.0.0/33 } } ] } ]", FindingCodes.InvalidCidr, "spec.egress[0].to[0].ipBlock.cidr")]
    [InlineData("  egress: [ { to: [ { ipBlock: { cidr: 10.0.0.0 } } ] } ]", FindingCodes.InvalidCidr, "spec.egress[0].to[0].ipBlock.cidr")]
    [InlineData("  egress: [ { to: [ { ipBlock: { except: [10.0.0.0/24] } } ] } ]", FindingCodes.InvalidCidr, "spec.egress[0].to[0].ipBlock.cidr")]
    [InlineData("  egress: [ { to: [ { ipBlock: { cidr: 10.0.0.0/16, except: [10.1.0.0/24] } } ] } ]", FindingCodes.ExceptNotInCidr, "spec.egress[0].to[0].ipBlock.except[0]")]
    [InlineData("  egress: [ { to: [ { ipBlock: { cidr: 10.0.0.0/16, except: [10.0.0.0/16] } } ] } ]", FindingCodes.ExceptNotInCidr, "spec.egress[0].to[0].ipBlock.except[0]")]
    [InlineData("  policyTypes: [Ingress, Egress, Ingress]", FindingCodes.TooManyPolicyTypes, "spec.policyTypes")]
    [InlineData("  policyTypes: [ingress]", FindingCodes.InvalidPolicyType, "spec.policyTypes[0]")]
    [InlineData("  ingress: [ { from: [ { podSelector: { matchExpressions: [ { key: app, operator: In } ] } } ] } ]", FindingCodes.SelectorValuesRequired, "spec.ingress[0].from[0].podSelector.matchExpressions[0].values")]
    [InlineData("  ingress: [ { from: [ { podSelector: { matchExpressions: [ { key: app, operator: Exists, values: [a] } ] } } ] } ]", FindingCodes.SelectorValuesForbidden, "spec.ingress[0].from[0].podSelector.matchExpressions[0].values")]
    [InlineData("  ingress: [ { from: [ { podSelector: { matchExpressions: [ { key: app, operator: Equals, values: [a] } ] } } ] } ]", FindingCodes.InvalidSelectorOperator, "spec.ingress[0].from[0].podSelector.matchExpressions[0].operator")]
    [InlineData("  ingress: [ { from: [ { namespaceSelector: { matchLabels: { \"-bad\": x } } } ] } ]", FindingCodes.InvalidLabelKey, "spec.ingress[0].from[0].namespaceSelector.matchLabels")]
    [InlineData("  ingress: [ { from: [ { namespaceSelector: { matchLabels: { team: \"a b\" } } } ] } ]", FindingCodes.InvalidLabelValue, "spec.ingress[0].from[0].namespaceSelector.matchLabels")]
    public void The_api_server_rules_are_each_reported_at_the_field(string spec, string code, string path)
    {
        var finding = Assert.Single(Read(Policy(spec)).Findings, f => f.SeverityValue == FindingSeverity.Error);
        Assert.Equal((code, path, "test.yaml", 8, "demo/p"), (finding.Code, finding.Path, finding.File, finding.Line, finding.Policy));
    }

    [Theory]
    [InlineData("My_Policy", "demo", FindingCodes.InvalidName, "metadata.name")]
    [InlineData("p", "Demo", FindingCodes.InvalidNamespace, "metadata.namespace")]
    public void Names_follow_the_dns_rules(string name, string ns, string code, string path) =>
        Assert.Contains(Read(Policy("", name, ns)).Findings, f => f.Code == code && f.Path == path);

    [Theory]
    [InlineData("  ingress: [ { ports: [ { port: 80, endPort: 80 } ] } ]")]
    [InlineData("  ingress: [ { ports: [ { port: http-alt, protocol: SCTP } ] } ]")]
    [InlineData("  egress: [ { to: [ { ipBlock: { cidr: 10.0.0.0/8, except: [10.1.0.0/16, 10.2.0.0/16] } }, { namespaceSelector: {}, podSelector: {} } ] } ]")]
    [InlineData("  egress: [ { to: [ { ipBlock: { cidr: 2001:db8::/32, except: [2001:db8:1::/48] } } ] } ]")]
    [InlineData("  policyTypes: [Ingress, Egress]\n  ingress: [ { from: [ { podSelector: { matchExpressions: [ { key: example.com/tier, operator: NotIn, values: [a, b] }, { key: x, operator: DoesNotExist } ] } } ] } ]")]
    public void Valid_policies_have_no_findings(string spec) =>
        Assert.Empty(Read(Policy(spec)).Findings);

    [Fact]
    public void Several_problems_are_all_reported()
    {
        var findings = Read(Policy("  ingress: [ { ports: [ { port: 0 }, { port: 90, endPort: 80 } ], from: [ {} ] } ]")).Findings;
        Assert.Equal([FindingCodes.InvalidPort, FindingCodes.EndPortBeforePort, FindingCodes.EmptyPeer], findings.Select(f => f.Code).OrderBy(c => c));
    }

    [Fact]
    public void An_unknown_field_is_a_warning_with_a_suggestion()
    {
        var finding = Assert.Single(Read(Policy("  ingres: [ {} ]")).Findings);
        Assert.Equal((FindingSeverity.Warning, FindingCodes.UnknownField, "spec.ingres"), (finding.SeverityValue, finding.Code, finding.Path));
        Assert.Contains("Did you mean \"ingress\"", finding.Message);
    }

    [Fact]
    public void Malformed_yaml_is_reported_with_its_line_and_column()
    {
        var finding = Assert.Single(ManifestReader.Read("kind: Pod\nmetadata:\n  name: [x\n", "bad.yaml").Findings);
        Assert.Equal((FindingCodes.InvalidManifest, "bad.yaml", FindingSeverity.Error), (finding.Code, finding.File, finding.SeverityValue));
        Assert.True(finding.Line >= 3, $"line {finding.Line}");
    }

    [Fact]
    public void An_unknown_api_version_is_reported_not_guessed()
    {
        var set = Read(Policy("").Replace("networking.k8s.io/v1", "extensions/v1beta1"));
        Assert.Empty(set.Policies);
        Assert.Equal(FindingCodes.UnknownApiVersion, Assert.Single(set.Findings).Code);
    }

    [Fact]
    public void Lists_json_workloads_and_namespaces_are_read_and_other_kinds_skipped()
    {
        const string json = """
            { "apiVersion": "v1", "kind": "List", "items": [
              { "apiVersion": "v1", "kind": "Namespace", "metadata": { "name": "shop", "labels": { "team": "x" } } },
              { "apiVersion": "apps/v1", "kind": "Deployment", "metadata": { "name": "web", "namespace": "shop" },
                "spec": { "template": { "metadata": { "labels": { "app": "web" } },
                  "spec": { "containers": [ { "name": "c", "ports": [ { "name": "http", "containerPort": 8080 } ] } ] } } } },
              { "apiVersion": "batch/v1", "kind": "CronJob", "metadata": { "name": "report", "namespace": "shop" },
                "spec": { "jobTemplate": { "spec": { "template": { "metadata": { "labels": { "app": "report" } }, "spec": { "containers": [] } } } } } },
              { "apiVersion": "v1", "kind": "Service", "metadata": { "name": "web", "namespace": "shop" } },
              { "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": { "name": "deny", "namespace": "shop" }, "spec": { "podSelector": {} } }
            ] }
            """;
        var set = ManifestReader.Read(json, "cluster.json");
        Assert.Equal(["shop/web", "shop/report"], set.Pods.Select(p => p.Id));
        Assert.Equal(new ContainerPort("http", 8080, "TCP"), set.Pods[0].Ports.Single());
        Assert.Equal("web", set.Pods[0].Labels["app"]);
        Assert.Equal("shop", set.Namespaces.Single().Labels[NamespaceInfo.NameLabel]);
        Assert.Equal("x", set.Namespaces.Single().Labels["team"]);
        Assert.Single(set.Policies);
        Assert.Contains(set.Skipped, s => s.Contains("Service web"));
        Assert.Empty(set.Findings);
    }
}
