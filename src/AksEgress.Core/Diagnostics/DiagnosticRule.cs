namespace AksEgress.Diagnostics;

/// <summary>A kind of finding: its stable code and name, where it applies, the severities it is reported with, and what it means.</summary>
public sealed record DiagnosticRule(string Code, string Name, string Area, IReadOnlyList<FindingSeverity> Severities, string Summary);
