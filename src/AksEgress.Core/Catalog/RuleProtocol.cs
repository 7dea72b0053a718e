namespace AksEgress.Catalog;

/// <summary>Tcp and Udp belong to network rules; Http and Https to application rules.</summary>
public enum RuleProtocol
{
    Tcp,
    Udp,
    Http,
    Https,
}
