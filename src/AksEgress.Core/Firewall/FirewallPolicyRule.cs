namespace AksEgress.Firewall;

/// <summary>
/// A rule of a firewall policy rule collection, with the fields of ARM's NetworkRule and ApplicationRule
/// (api-version 2024-05-01). Lists a rule type does not use stay empty.
/// </summary>
public sealed record FirewallPolicyRule
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public FirewallRuleType RuleType { get; init; }
    public IReadOnlyList<string> SourceAddresses { get; init; } = [];
    public IReadOnlyList<string> SourceIpGroups { get; init; } = [];

    // NetworkRule
    public IReadOnlyList<string> IpProtocols { get; init; } = [];
    public IReadOnlyList<string> DestinationAddresses { get; init; } = [];
    public IReadOnlyList<string> DestinationFqdns { get; init; } = [];
    public IReadOnlyList<string> DestinationIpGroups { get; init; } = [];
    public IReadOnlyList<string> DestinationPorts { get; init; } = [];

    // ApplicationRule
    public IReadOnlyList<ApplicationProtocol> Protocols { get; init; } = [];
    public IReadOnlyList<string> TargetFqdns { get; init; } = [];
    public IReadOnlyList<string> FqdnTags { get; init; } = [];

    /// <summary>Everything the rule lets through, in one line: what a plan shows.</summary>
    public string Summary => RuleType is FirewallRuleType.NetworkRule
        ? $"{string.Join(",", IpProtocols)} {string.Join(",", DestinationPorts)} -> {string.Join(", ", DestinationAddresses.Concat(DestinationFqdns))}"
        : $"{string.Join(",", Protocols)} -> {string.Join(", ", TargetFqdns.Concat(FqdnTags.Select(t => "FqdnTag:" + t)))}";

    public override string ToString() => $"{Name}: {Summary}";
}
