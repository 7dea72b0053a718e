namespace AksEgress.Firewall;

/// <summary>A conditional write found the resource changed since it was read (HTTP 412): read again and plan again.</summary>
public sealed class FirewallPreconditionFailedException(string message, Exception? inner = null) : Exception(message, inner);
