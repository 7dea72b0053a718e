namespace AksEgress.Catalog;

/// <summary>An edition of the rules; an obsolete one is never returned as a requirement.</summary>
public sealed record EditionInfo(CatalogEdition Name, bool Obsolete, DateTime? Documented, string? Description)
{
    public override string ToString() => Obsolete ? $"{Name} (obsolete)" : Name.ToString();
}
