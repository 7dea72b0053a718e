namespace AksEgress.Catalog;

/// <summary>What a rule's destination string is.</summary>
public enum DestinationType
{
    /// <summary>Any address (<c>*</c>).</summary>
    Any,
    Fqdn,
    WildcardFqdn,
    ServiceTag,
    FqdnTag,
    IpAddress,
    Cidr,
}
