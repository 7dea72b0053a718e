namespace AksEgress.Firewall.Coverage;

public enum CoverageStatus
{
    /// <summary>The first rule collection that matches allows it.</summary>
    Allowed,
    /// <summary>A Deny collection matches before any Allow does.</summary>
    Denied,
    /// <summary>No rule matches: Azure Firewall denies it by default.</summary>
    Missing,
    /// <summary>Cannot be told: a parent policy whose rules come first is not available.</summary>
    Unknown,
}
