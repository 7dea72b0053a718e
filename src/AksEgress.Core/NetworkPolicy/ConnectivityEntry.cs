namespace AksEgress.NetworkPolicy;

/// <summary>One cell of the connectivity matrix: can <see cref="From"/> reach <see cref="To"/>, and on which of the ports evaluated.</summary>
public sealed record ConnectivityEntry
{
    public required string From { get; init; }
    public required string To { get; init; }
    /// <summary>True when at least one evaluated port is allowed (for a row of several pod pairs: for every one of them).</summary>
    public bool Allowed { get; init; }
    public DisplayList<string> AllowedPorts { get; init; } = DisplayList<string>.Empty;
    public DisplayList<string> DeniedPorts { get; init; } = DisplayList<string>.Empty;
    /// <summary>How many ordered pod pairs the row stands for (1 per pod pair; more for a pair of workloads or classes).</summary>
    public long Pairs { get; init; } = 1;
}
