namespace AksEgress.Firewall.Coverage;

public enum PolicyHygieneKind
{
    /// <summary>Allows only what the obsolete 2019 edition asked for: safe to remove.</summary>
    Stale,
    /// <summary>Allows any destination on web ports or every port, or from any source.</summary>
    OverBroad,
}
