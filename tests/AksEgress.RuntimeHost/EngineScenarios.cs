using System.Net;
using System.Net.Http;
using System.Text;
using AksEgress.Azure;
using AksEgress.Catalog;
using AksEgress.Firewall;
using AksEgress.Firewall.Coverage;
using AksEgress.Firewall.Export;
using AksEgress.NetworkPolicy;
using AksEgress.Requirements;

namespace AksEgress.RuntimeHost;

/// <summary>
/// What the cmdlets do, called as they call it, with the Pester suite's expectations (typed from seed 003, the ARM
/// contract and the example manifests): catalog queries, a firewall apply with injected faults, a coverage check of a
/// policy file, the three exports, reading a cluster, and a NetworkPolicy matrix.
/// </summary>
public sealed class EngineScenarios(Checks checks, string module, string repo)
{
    private const string Subscription = "00000000-0000-0000-0000-000000000001";
    private const string PolicyPath = "/subscriptions/" + Subscription + "/resourceGroups/rg-hub/providers/Microsoft.Network/firewallPolicies/fp-hub";
    private static readonly DateTime Today = new(2026, 11, 27);

    // Seed 003, "Azure Global required network rules" and "... FQDN / application rules", with the packages.aks.azure.com
    // amendment (Azure/AKS#4792): the ten rules of a default cluster in westeurope, as the New-AksFirewallPolicy plan lists them.
    private static readonly string[] WestEuropeCore =
    [
        "UDP 1194 -> AzureCloud.westeurope", "TCP 9000 -> AzureCloud.westeurope", "Https:443 -> *.hcp.westeurope.azmk8s.io",
        "Https:443 -> mcr.microsoft.com", "Https:443 -> *.data.mcr.microsoft.com", "Https:443 -> mcr-0001.mcr-msedge.net",
        "Https:443 -> management.azure.com", "Https:443 -> login.microsoftonline.com", "Https:443 -> packages.microsoft.com",
        "Https:443 -> packages.aks.azure.com",
    ];

    public void RunAll(bool preloaded)
    {
        checks.Run("the engine loads from the module's Dependencies folder through its resolver", LoadedFromModule);
        checks.Run("catalog: the ten core rules of westeurope, and the amendments by date", CatalogQueries);
        checks.Run("exports: ARM template, Bicep and Terraform of the same group", Exports);
        checks.Run("coverage of a policy file: deciding rules, missing, stale and over-broad", CoverageOfFile);
        checks.Run("NetworkPolicy: the seed 001 verdict, the matrix of the example manifests, and a JSON manifest", NetworkPolicies);
        checks.Run("System.Text.Json 10 is the runtime's own where it has version 10, the shipped one where it has less", JsonFromTheRightPlace);
        if (Environment.GetEnvironmentVariable("AKSEGRESS_TEST_ARM") is not { Length: > 0 } arm)
        {
            checks.Skip("firewall apply and cluster reading against the ARM emulator", "AKSEGRESS_TEST_ARM is not set: the emulator is not running");
            return;
        }

        var emulator = new EmulatorClient(new Uri(arm));
        checks.Run("firewall apply: create, in sync, update with If-Match, 409 and 412 retried, Failed operation leaves ARM unchanged", () => FirewallApply(emulator));
        checks.Run("cluster reading: region, pools, add-ons, extension and DNS servers, read only", () => ClusterReading(emulator));
        if (preloaded)
        {
            checks.Run("the module's Azure.Core 1.64 and the one loaded before it live side by side", () =>
            {
                var versions = AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name == "Azure.Core").Select(a => a.GetName().Version!.ToString()).OrderBy(v => v).ToList();
                Expect.True(versions.Count == 2 && versions.Contains("1.64.0.0"), "Azure.Core loaded: " + string.Join(", ", versions));
            });
        }
    }

    private void JsonFromTheRightPlace()
    {
        var json = AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name == "System.Text.Json" && a.GetName().Version!.Major >= 10).ToList();
        Expect.Equal(1, json.Count, "System.Text.Json 10 loaded once: " + string.Join(", ", json.Select(j => j.Location)));
#if NET
        var shipped = Path.GetDirectoryName(json[0].Location) == Path.Combine(module, "Dependencies");
        Expect.Equal(Environment.Version.Major < 10, shipped, $"System.Text.Json from {json[0].Location} on .NET {Environment.Version}: shipped");
#else
        Expect.Equal(Path.Combine(module, "Dependencies", "NetFramework"), Path.GetDirectoryName(json[0].Location), "folder of System.Text.Json");
#endif
    }

    private void LoadedFromModule()
    {
        var core = typeof(RuleCatalog).Assembly;
        var dependencies = Path.Combine(module, "Dependencies");
#if !NET
        dependencies = Path.Combine(dependencies, "NetFramework");
#endif
        Expect.Equal(dependencies, Path.GetDirectoryName(core.Location), "folder of AksEgress.Core");
#if NET
        Expect.Equal("AksEgress", System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(core)?.Name, "load context of AksEgress.Core");
#endif
    }

    private static IReadOnlyList<AksEgressRule> Query(string location, DateTime asOf, params AksFeature[] features) =>
        RequirementEngine.Query(RuleCatalog.Embedded, new RequirementQuery { Location = location, Features = features, AsOf = asOf }).Rules;

    private static string Describe(AksEgressRule rule) =>
        rule.Kind == "Network" ? $"{rule.Protocol.ToUpperInvariant()} {rule.Port} -> {rule.Destination}" : $"{rule.Protocol}:{rule.Port} -> {rule.Destination}";

    private void CatalogQueries()
    {
        Expect.Sequence(WestEuropeCore.OrderBy(x => x, StringComparer.Ordinal), Query("westeurope", Today).Select(Describe).OrderBy(x => x, StringComparer.Ordinal), "westeurope core rules");
        // Azure/AKS#4792: packages.aks.azure.com from 2025-03-31, acs-mirror.azureedge.net retired on 2025-05-31.
        var before = Query("westeurope", new DateTime(2025, 1, 1)).Select(r => r.Destination).ToList();
        Expect.True(before.Contains("acs-mirror.azureedge.net") && !before.Contains("packages.aks.azure.com"), $"rules of 2025-01-01: {string.Join(", ", before)}");
        var gov = RequirementEngine.Query(RuleCatalog.Embedded, new RequirementQuery { Cloud = AksCloud.AzureUSGovernment, Location = "usgovvirginia", AsOf = Today }).Rules;
        Expect.True(gov.Any(r => r.Destination == "*.hcp.usgovvirginia.cx.aks.containerservice.azure.us"), "US Government API server FQDN");
        var unknown = Expect.Throws<UnknownLocationException>(() => Query("westeurop", Today), "a misspelt region");
        Expect.True(unknown.Suggestions.Contains("westeurope"), $"suggestions: {string.Join(", ", unknown.Suggestions)}");
    }

    private static FirewallRuleCollectionGroup Group(IEnumerable<AksEgressRule> rules) =>
        RuleCollectionGroupBuilder.Build(rules, new FirewallPlanOptions { SourceAddresses = ["10.240.0.0/16"] });

    private void Exports()
    {
        var group = Group(Query("westeurope", Today));
        var arm = RuleCollectionGroupExporter.Export(group, ExportFormat.ArmTemplate, "fp-hub", "test");
        Expect.True(arm.Contains("\"Microsoft.Network/firewallPolicies/ruleCollectionGroups\"") && arm.Contains("\"2024-05-01\"") && arm.Contains("\"*.hcp.westeurope.azmk8s.io\""), "ARM template\n" + arm);
        var bicep = RuleCollectionGroupExporter.Export(group, ExportFormat.Bicep, "fp-hub", "test");
        Expect.True(bicep.Contains("Microsoft.Network/firewallPolicies/ruleCollectionGroups@2024-05-01") && bicep.Contains("'mcr.microsoft.com'"), "Bicep\n" + bicep);
        var terraform = RuleCollectionGroupExporter.Export(group, ExportFormat.Terraform, "fp-hub", "test");
        Expect.True(terraform.Contains("resource \"azurerm_firewall_policy_rule_collection_group\"") && terraform.Contains("\"mcr.microsoft.com\""), "Terraform\n" + terraform);
    }

    private void CoverageOfFile()
    {
        var path = Path.Combine(repo, "docs", "examples", "firewall", "legacy-policy.json");
        var document = FirewallPolicyDocument.Parse(File.ReadAllText(path), path);
        var requirements = Query("westeurope", Today);
        var coverage = FirewallCoverageAnalyzer.Analyze(document.Groups, requirements, ["10.240.0.0/16"], document.DnsProxyEnabled);
        Expect.Equal("registries", coverage.Single(c => c.Destination == "mcr.microsoft.com").Rule, "rule deciding mcr.microsoft.com");
        Expect.Equal("Allowed", coverage.Single(c => c.Id == "pub.core.tunnel-tcp-9000").Status, "TCP 9000");
        Expect.Equal("Missing", coverage.Single(c => c.Id == "pub.core.tunnel-udp-1194").Status, "UDP 1194");
        var hygiene = PolicyHygiene.Check(document.Groups, StaleDestinations.For(RuleCatalog.Embedded, AksCloud.AzureCloud, "westeurope", Today)).ToList();
        Expect.Sequence(["aksrepos"], hygiene.Where(h => h.Code == "AKSFW001").Select(h => h.Rule), "stale rules");
        Expect.Sequence(["*.tun.westeurope.azmk8s.io"], hygiene.Where(h => h.Code == "AKSFW004").Select(h => h.Destination!), "stale destinations of current rules");
        Expect.Sequence(["web"], hygiene.Where(h => h.Kind == "OverBroad").Select(h => h.Rule).Distinct(), "over-broad rules");
    }

    private void NetworkPolicies()
    {
        var folder = Path.Combine(repo, "docs", "examples", "k8s");
        var set = ManifestSet.Empty;
        foreach (var file in Directory.GetFiles(folder, "*.yaml").OrderBy(f => f, StringComparer.Ordinal))
        {
            set = set.Merge(ManifestReader.Read(File.ReadAllText(file), file));
        }

        var cluster = ClusterModel.From(set);
        Endpoint At(string id) => EndpointResolver.Resolve(cluster, id, out _, out _) ?? throw new InvalidOperationException($"{id} not found");
        var verdict = new ReachabilityEngine(cluster).Evaluate(At("demo/client"), At("demo/server"), 80);
        Expect.Sequence(["demo/demo-policy:ingress[0]", "demo/metrics:ingress[0]"], verdict.AllowedBy, "rules allowing demo/client -> demo/server:80");
        Expect.Equal(false, new ReachabilityEngine(cluster).Evaluate(At("demo/client"), At("demo/server"), 443).Allowed, "demo/client -> demo/server:443");
        var entries = ClassMatrix.Compute(cluster, null, null).Entries().ToList();
        Expect.Equal(1, entries.Count, "matrix entries (only the server declares a port)");
        Expect.Sequence(["TCP/80"], entries[0].AllowedPorts, $"{entries[0].From} -> {entries[0].To}");

        // kubectl -o json is read by System.Text.Json's reader: a string port is a name, a number a number.
        var json = ManifestReader.Read(
            "{\"apiVersion\": \"networking.k8s.io/v1\", \"kind\": \"NetworkPolicy\", \"metadata\": {\"name\": \"p\", \"namespace\": \"a\"}, " +
            "\"spec\": {\"podSelector\": {}, \"ingress\": [{\"ports\": [{\"port\": \"http\"}, {\"port\": 443}]}]}}", "p.json");
        Expect.Sequence(["TCP/http", "TCP/443"], json.Policies.Single().Ingress.Single().Ports.Select(p => p.ToString()), "ports of a JSON manifest");
    }

    private void FirewallApply(EmulatorClient emulator)
    {
        emulator.Reset(cluster: false);
        var rules = Query("westeurope", Today);
        var store = ArmSession.OpenStore(AksCloud.AzureCloud, emulator.Endpoint, "test-token", null);
        var applier = new FirewallPolicyApplier(store);
        FirewallApplyResult Apply(IEnumerable<AksEgressRule> r) =>
            applier.ApplyAsync(new FirewallApplyRequest { PolicyId = PolicyPath, Desired = Group(r) }, null, CancellationToken.None).GetAwaiter().GetResult();

        var created = Apply(rules);
        Expect.Equal("Create", created.Action, "first apply");
        var puts = emulator.Requests().Where(r => r.Method == "PUT").ToList();
        Expect.Equal(1, puts.Count, "PUTs after the first apply");
        Expect.Equal(PolicyPath + "/ruleCollectionGroups/aks-egress", puts[0].Path, "PUT path");
        Expect.Equal("*", puts[0].IfNoneMatch, "If-None-Match of the create");
        Expect.Equal("None", Apply(rules).Action, "second apply");

        // 409 AnotherOperationInProgress is retried; a 412 makes the applier read and plan again.
        emulator.Fault("{\"method\":\"PUT\",\"pathEndsWith\":\"/ruleCollectionGroups/aks-egress\",\"fault\":\"Status\",\"code\":409,\"errorCode\":\"AnotherOperationInProgress\",\"retryAfter\":0}");
        emulator.Fault("{\"method\":\"PUT\",\"pathEndsWith\":\"/ruleCollectionGroups/aks-egress\",\"fault\":\"Status\",\"code\":412,\"errorCode\":\"PreconditionFailed\"}");
        var withMonitor = Query("westeurope", Today, AksFeature.AzureMonitor);
        var updated = Apply(withMonitor);
        Expect.Equal("Update", updated.Action, "apply with Azure Monitor");
        Expect.Equal(2, updated.Attempts, "plans after a 412");
        Expect.True(updated.Changes.Any(c => c.Change == "Added" && c.Rule == "pub.monitor.dce-logs"), "pub.monitor.dce-logs added");
        Expect.Equal(created.ETag, emulator.Requests().Last(r => r.Method == "PUT").IfMatch, "If-Match of the update");

        // An operation that ends Failed is an error with ARM's message, and the group stays as it was.
        emulator.Fault("{\"method\":\"PUT\",\"pathEndsWith\":\"/ruleCollectionGroups/aks-egress\",\"fault\":\"OperationFails\",\"message\":\"Policy update failed: internal error 42.\"}");
        var failed = Expect.Throws<FirewallApplyException>(() => Apply(rules), "a failed operation");
        Expect.True(failed.Message.Contains("internal error 42"), failed.Message);
        Expect.True(emulator.Resource(PolicyPath + "/ruleCollectionGroups/aks-egress").Contains("pub.monitor.dce-logs"), "the group written before the failure is still there");

        // Read only: coverage of what was written.
        var snapshot = FirewallPolicySnapshot.ReadAsync(store, PolicyPath, CancellationToken.None).GetAwaiter().GetResult();
        var writes = emulator.Requests().Count(r => r.Method != "GET");
        var coverage = FirewallCoverageAnalyzer.Analyze(snapshot.Groups, withMonitor, ["10.240.0.0/16"], snapshot.DnsProxyEnabled);
        Expect.True(coverage.Where(c => c.Required).All(c => c.Status == "Allowed"), "every required rule allowed");
        Expect.Equal(writes, emulator.Requests().Count(r => r.Method != "GET"), "writes after the coverage check");
    }

    private void ClusterReading(EmulatorClient emulator)
    {
        emulator.Reset(cluster: true);
        var id = ArmSession.ResolveClusterId(null, Subscription, "rg-hub", "aks1");
        var profile = ArmSession.ReadClusterAsync(AksCloud.AzureCloud, emulator.Endpoint, "test-token", null, id, CancellationToken.None).GetAwaiter().GetResult();
        Expect.Equal("westeurope", profile.Location, "location");
        Expect.Sequence([AksFeature.Windows, AksFeature.Gpu, AksFeature.AzureMonitor, AksFeature.ClusterExtensions], profile.Features, "features");
        Expect.Sequence(["10.0.0.4"], profile.DnsServers.Select(d => d.ToString()), "DNS servers");
        Expect.Equal(0, emulator.Requests().Count(r => r.Method != "GET"), "writes while reading a cluster");
        var rules = RequirementEngine.Query(RuleCatalog.Embedded, new RequirementQuery
        {
            Location = profile.Location, Features = profile.Features, DnsServers = profile.DnsServers, AsOf = Today,
        }).Rules;
        Expect.True(rules.Any(r => r.Protocol == "Udp" && r.Port == 53 && r.Destination == "10.0.0.4"), "UDP 53 to the VNet's DNS server");
    }

    /// <summary>The emulator's test controls (reset, faults, recorded requests), over its own HTTPS endpoint.</summary>
    private sealed class EmulatorClient
    {
        private readonly HttpClient _http;

        public EmulatorClient(Uri endpoint)
        {
            Endpoint = endpoint;
            _http = new HttpClient { BaseAddress = endpoint };
        }

        public Uri Endpoint { get; }

        public void Reset(bool cluster) =>
            Send(HttpMethod.Post, $"_emulator/reset?subscription={Subscription}&resourceGroup=rg-hub&policy=fp-hub&dnsProxy=false" + (cluster ? "&cluster=aks1" : ""));

        public void Fault(string json) => Send(HttpMethod.Post, "_emulator/faults", json);

        public string Resource(string id) => Send(HttpMethod.Get, "_emulator/resources?id=" + Uri.EscapeDataString(id));

        /// <summary>The recorded requests, in order.</summary>
        public IEnumerable<(string Method, string Path, string IfMatch, string IfNoneMatch)> Requests() =>
            Send(HttpMethod.Get, "_emulator/requests?format=lines").Split(['\n'], StringSplitOptions.RemoveEmptyEntries)
                .Select(line => line.Split(' '))
                .Select(f => (f[0], f[1], f[2], f[3]));

        private string Send(HttpMethod method, string path, string? json = null)
        {
            using var request = new HttpRequestMessage(method, path) { Content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json") };
            using var response = _http.SendAsync(request).GetAwaiter().GetResult();
            var body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            return response.IsSuccessStatusCode ? body : throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {body}");
        }
    }
}
