namespace AksEgress.Diagnostics;

/// <summary>How bad a finding is, for every kind of finding (NetworkPolicy, firewall policy, catalog).</summary>
public enum FindingSeverity
{
    /// <summary>Cannot be used as it is: the API server would reject the manifest, a file cannot be read, a catalog is invalid.</summary>
    Error,
    /// <summary>Accepted, but it will not do what it says (on this engine), is very likely a mistake, or opens more than needed.</summary>
    Warning,
    /// <summary>Worth knowing.</summary>
    Information,
}
