using System.Net;
using AksEgress.Catalog;

namespace AksEgress.Requirements;

/// <summary>What the user asks: a cloud, a region, the cluster's options and features, and which rules to show.</summary>
public sealed record RequirementQuery
{
    public AksCloud Cloud { get; init; } = AksCloud.AzureCloud;
    /// <summary>A region of <see cref="Cloud"/>, canonical or display name ("westeurope", "West Europe").</summary>
    public required string Location { get; init; }
    public IReadOnlyCollection<AksFeature> Features { get; init; } = [];
    public bool PrivateCluster { get; init; }
    public bool Konnectivity { get; init; }

    /// <summary>A network isolated cluster (outbound type none or block) needs none of the core rules: its images come from its private ACR cache.</summary>
    public bool NetworkIsolated { get; init; }
    public IReadOnlyList<IPAddress> DnsServers { get; init; } = [];
    public IPAddress? ApiServerAddress { get; init; }
    /// <summary>The categories to return; <c>null</c> means Required and Feature, plus Recommended and Optional with <see cref="IncludeOptional"/>.</summary>
    public IReadOnlyCollection<RuleCategory>? Categories { get; init; }
    public bool IncludeOptional { get; init; }
    public MonitorAccess AzureMonitorAccess { get; init; } = MonitorAccess.Fqdn;
    public CatalogEdition Edition { get; init; } = CatalogEdition.Current;
    /// <summary>The date whose rule set to show: amendments dated after it are not applied. The caller passes today by default.</summary>
    public required DateTime AsOf { get; init; }

    internal bool Wants(RuleCategory category) => Categories?.Contains(category)
        ?? (category is RuleCategory.Required or RuleCategory.Feature || IncludeOptional);
}
