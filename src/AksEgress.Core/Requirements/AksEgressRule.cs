using AksEgress.Catalog;

namespace AksEgress;

/// <summary>
/// One egress rule a cluster needs (or may need), resolved for a cloud and region. What PowerShell shows, filters and
/// serialises is strings: the enumerations are exposed by name (ConvertTo-Json writes enums as numbers), lists print as
/// comma-separated text (Export-Csv), and the rule prints as itself rather than as a record dump. The engine works on
/// the typed values (the internal ...Value properties).
/// </summary>
public sealed record AksEgressRule
{
    /// <summary>The catalog rule's stable id; rules that expand per DNS server share it.</summary>
    public required string Id { get; init; }
    public string Cloud => CloudValue.ToString();
    public required string Location { get; init; }
    public string Category => CategoryValue.ToString();
    public string Feature => FeatureValue.ToString();
    public string Kind => KindValue.ToString();
    public string Protocol => ProtocolValue.ToString();
    public int Port { get; init; }
    public required string Destination { get; init; }
    public string DestinationType => DestinationTypeValue.ToString();
    /// <summary>Documented alternatives to <see cref="Destination"/>, resolved where possible.</summary>
    public DisplayList<string> Alternatives { get; init; } = DisplayList<string>.Empty;
    /// <summary>True for Required and Feature rules; false for Recommended and Optional ones.</summary>
    public bool Required { get; init; }
    public required string Use { get; init; }
    public string? Condition { get; init; }
    public string? Note { get; init; }
    public string? Correction { get; init; }
    /// <summary>Document and section the rule comes from, e.g. "Outbound network and FQDN rules for AKS clusters (2024-10-10) § Azure Global required network rules"; SourceUrl is that revision on GitHub.</summary>
    public required string Source { get; init; }
    public string? SourceUrl { get; init; }
    /// <summary>For a rule of Microsoft's egress document: the page on learn.microsoft.com (its current revision), at the rule's section.</summary>
    public string? PageUrl { get; init; }
    public string Edition => EditionValue.ToString();
    /// <summary>The amendment that added the rule after the source document, if any.</summary>
    public string? Amendment { get; init; }
    public DateTime? AmendedOn { get; init; }
    public string CatalogVersion { get; init; } = "";

    internal AksCloud CloudValue { get; init; }
    internal RuleCategory CategoryValue { get; init; }
    internal AksFeature FeatureValue { get; init; }
    internal RuleKind KindValue { get; init; }
    internal RuleProtocol ProtocolValue { get; init; }
    internal DestinationType DestinationTypeValue { get; init; }
    internal CatalogEdition EditionValue { get; init; }

    /// <summary>"pub.core.mcr: Https:443 -> mcr.microsoft.com", as a cell of Export-Csv or a line of a report shows it.</summary>
    public override string ToString() => $"{Id}: {Protocol}:{Port} -> {Destination}";
}
