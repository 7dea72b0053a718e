using AksEgress.NetworkPolicy;
using static AksEgress.Core.Tests.NetworkPolicy.Manifests;

namespace AksEgress.Core.Tests.NetworkPolicy;

public class LintTests
{
    private static readonly string Workloads = Pod("shop", "web", "{ app: web }", "{ containerPort: 8080 }") + Pod("shop", "db", "{ app: db }", "{ containerPort: 5432 }");

    private static string Policy(string name, string spec, string ns = "shop") => $"""
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: {name}
          namespace: {ns}
        spec:
        {spec}

        """;

    private static readonly string DenyAll = Policy("deny-all", "  podSelector: {}\n  policyTypes: [Ingress, Egress]");

    private const string DnsRule = "  - to: [ { namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } }, podSelector: { matchLabels: { k8s-app: kube-dns } } } ]\n    ports: [ { port: 53, protocol: UDP }, { port: 53, protocol: TCP } ]";

    private static List<string> Codes(string yaml) => PolicyLinter.Lint(ClusterModel.From(Read(yaml))).Select(f => f.Code).ToList();

    [Fact]
    public void A_namespace_whose_pods_no_policy_selects_has_no_default_deny()
    {
        Assert.Contains(FindingCodes.NoDefaultDeny, Codes(Workloads));
        Assert.DoesNotContain(FindingCodes.NoDefaultDeny, Codes(Workloads + Policy("deny", "  podSelector: {}\n  policyTypes: [Ingress]")));
    }

    [Fact]
    public void Egress_isolation_without_a_dns_rule_blocks_dns()
    {
        Assert.Contains(FindingCodes.EgressBlocksDns, Codes(Workloads + DenyAll));
        Assert.DoesNotContain(FindingCodes.EgressBlocksDns, Codes(Workloads + DenyAll + Policy("dns", "  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n" + DnsRule)));
        Assert.Contains(FindingCodes.EgressBlocksDns, Codes(Workloads + DenyAll + Policy("dns-udp-only", "  podSelector: {}\n  policyTypes: [Egress]\n  egress: [ { ports: [ { port: 53, protocol: UDP } ] } ]")));
    }

    [Fact]
    public void Egress_rules_under_policy_types_ingress_are_ignored()
    {
        var finding = Assert.Single(PolicyLinter.Lint(ClusterModel.From(Read(Policy("p", "  podSelector: {}\n  policyTypes: [Ingress]\n  egress: [ { } ]")))), f => f.Code == FindingCodes.RulesIgnoredByPolicyTypes);
        Assert.Contains("the egress rules are ignored", finding.Message);
    }

    [Fact]
    public void Selectors_and_peers_that_match_no_workload_are_reported()
    {
        var codes = Codes(Workloads + Policy("p", "  podSelector: { matchLabels: { app: cache } }\n  ingress: [ { from: [ { podSelector: { matchLabels: { app: nobody } } } ] } ]"));
        Assert.Contains(FindingCodes.SelectorMatchesNothing, codes);
        Assert.Contains(FindingCodes.PeerMatchesNothing, codes);
        Assert.DoesNotContain(FindingCodes.SelectorMatchesNothing, Codes(Policy("p", "  podSelector: { matchLabels: { app: cache } }")));
    }

    [Fact]
    public void An_allow_all_rule_makes_the_other_policies_of_those_pods_moot()
    {
        var yaml = Workloads + Policy("allow-all", "  podSelector: {}\n  ingress: [ {} ]") + Policy("only-web", "  podSelector: { matchLabels: { app: db } }\n  ingress: [ { from: [ { podSelector: { matchLabels: { app: web } } } ] } ]");
        var finding = Assert.Single(PolicyLinter.Lint(ClusterModel.From(Read(yaml))), f => f.Code == FindingCodes.AllowAllShadowsPolicies);
        Assert.Equal("shop/allow-all", finding.Policy);
        Assert.Contains("shop/only-web", finding.Message);
    }

    [Fact]
    public void Duplicates_are_reported()
    {
        Assert.Contains(FindingCodes.DuplicatePolicy, Codes(Policy("a", "  podSelector: {}\n  policyTypes: [Ingress]") + Policy("b", "  podSelector: {}\n  policyTypes: [Ingress]")));
        Assert.Contains(FindingCodes.DuplicatePolicy, Codes(Policy("a", "  podSelector: {}\n  policyTypes: [Ingress]") + Policy("a", "  podSelector: {}\n  policyTypes: [Egress]")));
    }

    [Fact]
    public void A_careful_namespace_has_no_lint_findings()
    {
        var yaml = Workloads + DenyAll
            + Policy("dns", "  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n" + DnsRule)
            + Policy("web-to-db", "  podSelector: { matchLabels: { app: db } }\n  policyTypes: [Ingress]\n  ingress: [ { from: [ { podSelector: { matchLabels: { app: web } } } ], ports: [ { port: 5432 } ] } ]");
        Assert.Empty(Codes(yaml));
    }
}

/// <summary>Issue 13, item 4: the allow-all check is no longer quadratic, and its message stays short.</summary>
public class LintScaleTests
{
    [Fact]
    public void Ten_thousand_allow_all_policies_each_name_five_shadowed_policies_and_a_count()
    {
        var text = new System.Text.StringBuilder();
        for (var i = 0; i < 10_000; i++)
        {
            text.Append($"---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{ name: p{i}, namespace: a }}\nspec: {{ podSelector: {{}}, ingress: [ {{}} ] }}\n");
        }

        var set = ManifestReader.Read(text.ToString(), "many.yaml");
        var shadows = PolicyLinter.Lint(ClusterModel.From(set)).Where(f => f.Code == FindingCodes.AllowAllShadowsPolicies).ToList();
        Assert.Equal(10_000, shadows.Count);
        Assert.All(shadows, f => Assert.EndsWith("and 9994 more restrict nothing for them.", f.Message));
    }
}
