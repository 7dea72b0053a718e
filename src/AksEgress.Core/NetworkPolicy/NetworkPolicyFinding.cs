namespace AksEgress.NetworkPolicy;

/// <summary>One problem found in the manifests. <see cref="Code"/> is stable and documented in docs/network-policy-findings.md.</summary>
public sealed record NetworkPolicyFinding
{
    /// <summary>Error, Warning or Information.</summary>
    public string Severity => SeverityValue.ToString();
    public required string Code { get; init; }
    public required string Message { get; init; }
    public string? File { get; init; }
    public int Line { get; init; }
    public int Column { get; init; }
    /// <summary>namespace/name of the policy, when the finding is about one.</summary>
    public string? Policy { get; init; }
    /// <summary>JSON path of the field, e.g. spec.ingress[0].ports[1].endPort.</summary>
    public string? Path { get; init; }
    /// <summary>The policy engine the finding is about, for engine-compatibility findings.</summary>
    public string? Engine { get; init; }

    internal FindingSeverity SeverityValue { get; init; }

    public override string ToString() => $"{File}:{Line}:{Column}: {Severity} {Code}: {Message}";
}
