namespace AksEgress.Catalog;

/// <summary>An edition of the egress rules. Only <see cref="Current"/> is ever a requirement.</summary>
public enum CatalogEdition
{
    Current,
    /// <summary>The obsolete 2019 preview edition, kept to recognise stale firewall rules.</summary>
    Legacy2019,
}
