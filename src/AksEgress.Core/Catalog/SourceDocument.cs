namespace AksEgress.Catalog;

/// <summary>A document the catalog's rules are taken from.</summary>
public sealed record SourceDocument(string Id, string Document, string Title, string? Url)
{
    public override string ToString() => $"{Document}: {Title}";
}
