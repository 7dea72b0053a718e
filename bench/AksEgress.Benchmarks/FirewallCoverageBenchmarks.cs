using AksEgress.Catalog;
using AksEgress.Firewall;
using AksEgress.Firewall.Coverage;
using AksEgress.Firewall.Export;
using AksEgress.Requirements;
using BenchmarkDotNet.Attributes;

namespace AksEgress.Benchmarks;

/// <summary>
/// Test-AksFirewallPolicy on a large hub policy: 10,000 rules in 50 rule collection groups (network and application
/// rules for other workloads, a few Deny collections), the AKS group last by priority, so every requirement is matched
/// against nearly every rule. Coverage of every requirement (every feature and optional rule) and the hygiene review,
/// from groups already read and from the ARM template's text (the -Path case). Target: under 1 s.
/// </summary>
[MemoryDiagnoser]
public class FirewallCoverageBenchmarks
{
    private static readonly string[] Sources = ["10.240.0.0/16"];
    private IReadOnlyList<FirewallRuleCollectionGroup> _groups = [];
    private IReadOnlyList<AksEgressRule> _requirements = [];
    private ISet<string> _stale = new HashSet<string>();
    private string _template = "";

    [GlobalSetup]
    public void Setup()
    {
        _requirements = RequirementEngine.Query(RuleCatalog.Embedded, new RequirementQuery
        {
            Location = "westeurope", AsOf = new DateTime(2026, 11, 27), Features = Enum.GetValues<AksFeature>(), IncludeOptional = true,
            DnsServers = [System.Net.IPAddress.Parse("10.0.0.4")], ApiServerAddress = System.Net.IPAddress.Parse("20.50.1.10"),
        }).Rules;
        _stale = StaleDestinations.For(RuleCatalog.Embedded, AksCloud.AzureCloud, "westeurope", new DateTime(2026, 11, 27));

        var groups = new List<FirewallRuleCollectionGroup>();
        for (var g = 0; g < 49; g++)
        {
            var collections = new List<FirewallRuleCollection>();
            for (var c = 0; c < 4; c++)
            {
                var network = c % 2 == 0;
                var rules = Enumerable.Range(0, 50).Select(r => network
                    ? new FirewallPolicyRule
                    {
                        Name = $"net-{g}-{c}-{r}", RuleType = FirewallRuleType.NetworkRule, IpProtocols = ["TCP", "UDP"],
                        SourceAddresses = [$"10.{g}.{r}.0/24"], DestinationAddresses = [$"172.{16 + c}.{r}.0/24", $"192.168.{g}.{r}"],
                        DestinationFqdns = [$"svc{r}.app{g}.contoso.com"], DestinationPorts = [$"{1000 + r}", "8000-8100"],
                    }
                    : new FirewallPolicyRule
                    {
                        Name = $"app-{g}-{c}-{r}", RuleType = FirewallRuleType.ApplicationRule, Protocols = [new("Https", 443), new("Http", 80)],
                        SourceAddresses = [$"10.{g}.{r}.0/24"], TargetFqdns = [$"*.app{g}-{r}.contoso.com", $"api{r}.partner{g}.example.org"],
                    }).ToList();
                collections.Add(new FirewallRuleCollection($"coll-{g}-{c}", 100 + (c * 100), g % 10 == 9 && c == 3 ? "Deny" : "Allow", rules));
            }

            groups.Add(new FirewallRuleCollectionGroup($"workloads-{g}", 100 + g, collections));
        }

        // The AKS group, built as New-AksFirewallPolicy builds it, padded to bring the total to exactly 10,000 rules.
        var aks = RuleCollectionGroupBuilder.Build(_requirements, new FirewallPlanOptions { SourceAddresses = Sources, Priority = 65000 });
        var padding = 10_000 - groups.Sum(g => g.RuleCollections.Sum(c => c.Rules.Count)) - aks.RuleCollections.Sum(c => c.Rules.Count);
        var pad = new FirewallRuleCollection("legacy", 50, "Allow", Enumerable.Range(0, padding).Select(r => new FirewallPolicyRule
        {
            Name = $"legacy-{r}", RuleType = FirewallRuleType.ApplicationRule, Protocols = [new("Https", 443)], SourceAddresses = ["10.250.0.0/16"], TargetFqdns = [$"old{r}.contoso.net"],
        }).ToList());
        groups.Add(aks with { RuleCollections = [pad, .. aks.RuleCollections] });
        _groups = groups;

        var resources = string.Join(",", groups.Select(g =>
        {
            var body = RuleCollectionGroupJson.ToRequestBody(g);
            body["type"] = "Microsoft.Network/firewallPolicies/ruleCollectionGroups";
            body["name"] = $"fp-hub/{g.Name}";
            return body.ToJsonString();
        }));
        _template = $$"""{ "resources": [ { "type": "Microsoft.Network/firewallPolicies", "name": "fp-hub", "properties": { "dnsSettings": { "enableProxy": true } } }, {{resources}} ] }""";
        if (_groups.Sum(g => g.RuleCollections.Sum(c => c.Rules.Count)) != 10_000 || FirewallPolicyDocument.Parse(_template, "hub.json").Groups.Count != 50)
        {
            throw new InvalidOperationException("The benchmark policy is not 10,000 rules in 50 groups.");
        }
    }

    [Benchmark(Baseline = true)]
    public int CoverageAndHygiene() =>
        FirewallCoverageAnalyzer.Analyze(_groups, _requirements, Sources, true).Count(c => c.Status == "Allowed") + PolicyHygiene.Check(_groups, _stale).Count();

    [Benchmark]
    public int FromArmTemplateText()
    {
        var document = FirewallPolicyDocument.Parse(_template, "hub.json");
        return FirewallCoverageAnalyzer.Analyze(document.Groups, _requirements, Sources, document.DnsProxyEnabled).Count(c => c.Status == "Allowed")
            + PolicyHygiene.Check(document.Groups, _stale).Count();
    }
}
