using System.Net;
using AksEgress.Catalog;
using AksEgress.Requirements;

namespace AksEgress.Core.Tests;

/// <summary>Shorthands for the tests: a query on the embedded catalog as of a fixed date, and rule rows as tuples.</summary>
internal static class Query
{
    public static readonly DateTime Today = new(2026, 11, 27, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>A date when the document stood as seed 003 shows it (before its revision of 2024-12-06).</summary>
    public static readonly DateTime Seed003Era = new(2024, 11, 1, 0, 0, 0, DateTimeKind.Utc);

    public static RequirementResult Run(
        string location, AksCloud cloud = AksCloud.AzureCloud, AksFeature[]? features = null, bool privateCluster = false,
        bool konnectivity = false, string[]? dns = null, string? api = null, bool includeOptional = false,
        MonitorAccess monitor = MonitorAccess.Fqdn, CatalogEdition edition = CatalogEdition.Current, DateTime? asOf = null,
        RuleCategory[]? categories = null) =>
        RequirementEngine.Query(RuleCatalog.Embedded, new RequirementQuery
        {
            Location = location, Cloud = cloud, Features = features ?? [], PrivateCluster = privateCluster, Konnectivity = konnectivity,
            DnsServers = (dns ?? []).Select(IPAddress.Parse).ToList(), ApiServerAddress = api is null ? null : IPAddress.Parse(api),
            IncludeOptional = includeOptional, AzureMonitorAccess = monitor, Edition = edition, AsOf = asOf ?? Today, Categories = categories,
        });

    public static string Row(this AksEgressRule r) => $"{r.Protocol} {r.Port} {r.Destination}";

    public static string[] Rows(this RequirementResult result) => result.Rules.Select(Row).ToArray();
}
