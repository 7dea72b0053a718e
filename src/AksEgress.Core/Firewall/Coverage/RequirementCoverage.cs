namespace AksEgress.Firewall.Coverage;

/// <summary>Whether the firewall policy lets one requirement through, and which rule decides it.</summary>
public sealed record RequirementCoverage
{
    public required AksEgressRule Requirement { get; init; }
    /// <summary>Allowed, Denied or Missing (a string, so that ConvertTo-Json and Export-Csv write the name).</summary>
    public string Status => StatusValue.ToString();
    public string? RuleCollectionGroup { get; init; }
    public string? RuleCollection { get; init; }
    public string? Rule { get; init; }
    /// <summary>Caveats: a source held in an IP group (not checked), DNS proxy off for an FQDN network rule.</summary>
    public string? Note { get; init; }

    public string Id => Requirement.Id;
    public string Destination => Requirement.Destination;
    public string Port => $"{Requirement.Protocol}/{Requirement.Port}";
    public bool Required => Requirement.Required;

    internal CoverageStatus StatusValue { get; init; }

    public override string ToString() => $"{Status} {Requirement}" + (Rule is null ? "" : $" (by {RuleCollectionGroup}/{RuleCollection}/{Rule})");
}
