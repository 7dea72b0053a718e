namespace AksEgress.NetworkPolicy;

public enum FindingSeverity
{
    /// <summary>The API server would reject the manifest, or it cannot be read.</summary>
    Error,
    /// <summary>Accepted, but the policy will not do what it says (on this engine), or is very likely a mistake.</summary>
    Warning,
    /// <summary>Worth knowing.</summary>
    Information,
}
