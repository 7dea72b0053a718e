namespace AksEgress.Diagnostics;

/// <summary>
/// The one shape of every finding the module reports: NetworkPolicy findings, rules of a firewall policy worth review,
/// problems in a catalog file. A stable <see cref="Code"/> (its rule in <see cref="DiagnosticRules"/>, documented in
/// docs/findings.md), a severity, a message, where it is (file, line, column, field path) and what it is about.
/// </summary>
public abstract record Finding
{
    public required string Code { get; init; }
    /// <summary>The rule's name (AKSNP301 is NoDefaultDeny).</summary>
    public string RuleName => DiagnosticRules.Find(Code)?.Name ?? Code;
    /// <summary>Error, Warning or Information.</summary>
    public string Severity => SeverityValue.ToString();
    public required string Message { get; init; }
    public string? File { get; init; }
    public int Line { get; init; }
    public int Column { get; init; }
    /// <summary>The field path, e.g. spec.ingress[0].ports[1].endPort.</summary>
    public string? Path { get; init; }
    /// <summary>What it is about: a policy (namespace/name), a firewall rule (group/collection/rule), a catalog rule.</summary>
    public abstract string? Target { get; }

    internal FindingSeverity SeverityValue { get; init; }

    public override string ToString() => $"{(File is null ? "" : $"{File}:{Line}:{Column}: ")}{Severity} {Code}: {Message}";
}
