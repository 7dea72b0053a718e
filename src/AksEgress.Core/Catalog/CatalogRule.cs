namespace AksEgress.Catalog;

/// <summary>One rule as the catalog states it, before a query resolves its placeholders.</summary>
public sealed record CatalogRule
{
    public required string Id { get; init; }
    public CatalogEdition Edition { get; init; }
    /// <summary>Empty means every cloud.</summary>
    public IReadOnlyList<AksCloud> Clouds { get; init; } = [];
    public RuleCategory Category { get; init; }
    public AksFeature Feature { get; init; }
    /// <summary>For a feature reachable two ways (Azure Monitor), which way this rule belongs to.</summary>
    public MonitorAccess? Access { get; init; }
    public RuleKind Kind { get; init; }
    public RuleProtocol Protocol { get; init; }
    public int Port { get; init; }
    /// <summary>In order of preference; a query takes the first it can resolve and lists the rest as alternatives.</summary>
    public required IReadOnlyList<DestinationCandidate> Destinations { get; init; }
    public IReadOnlyList<ClusterCondition> NotWhen { get; init; } = [];
    public required string Use { get; init; }
    public string? Condition { get; init; }
    public string? Note { get; init; }
    /// <summary>How the catalog corrects an error of the source, if it does.</summary>
    public string? Correction { get; init; }
    public required IReadOnlyList<SourceReference> Sources { get; init; }
    public Amendment? IntroducedBy { get; init; }
    public Amendment? RetiredBy { get; init; }

    public override string ToString() => Id;

    public bool AppliesTo(AksCloud cloud) => Clouds.Count == 0 || Clouds.Contains(cloud);

    /// <summary>Whether the rule is in force on <paramref name="date"/>, given the amendments that add or retire it.</summary>
    public bool IsActiveOn(DateTime date) =>
        (IntroducedBy is null || IntroducedBy.Date <= date) && (RetiredBy is null || RetiredBy.Date > date);
}
