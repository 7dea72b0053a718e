using AksEgress.Catalog;

namespace AksEgress;

/// <summary>One egress rule a cluster needs (or may need), resolved for a cloud and region.</summary>
public sealed record AksEgressRule
{
    /// <summary>The catalog rule's stable id; rules that expand per DNS server share it.</summary>
    public required string Id { get; init; }
    public AksCloud Cloud { get; init; }
    public required string Location { get; init; }
    public RuleCategory Category { get; init; }
    public AksFeature Feature { get; init; }
    public RuleKind Kind { get; init; }
    public RuleProtocol Protocol { get; init; }
    public int Port { get; init; }
    public required string Destination { get; init; }
    public DestinationType DestinationType { get; init; }
    /// <summary>Documented alternatives to <see cref="Destination"/>, resolved where possible.</summary>
    public IReadOnlyList<string> Alternatives { get; init; } = [];
    /// <summary>True for Required and Feature rules; false for Recommended and Optional ones.</summary>
    public bool Required { get; init; }
    public required string Use { get; init; }
    public string? Condition { get; init; }
    public string? Note { get; init; }
    public string? Correction { get; init; }
    /// <summary>Document and section the rule comes from, e.g. "003_8f8a3784ff8fd43c.txt § Azure Global required network rules".</summary>
    public required string Source { get; init; }
    public string? SourceUrl { get; init; }
    public CatalogEdition Edition { get; init; }
    /// <summary>The amendment that added the rule after the source document, if any.</summary>
    public string? Amendment { get; init; }
    public DateTime? AmendedOn { get; init; }
    public string CatalogVersion { get; init; } = "";
}
