namespace AksEgress.Catalog;

/// <summary>One problem in a catalog file: where it is (1-based line and column, field path) and what is wrong.</summary>
public sealed record CatalogError(string File, int Line, int Column, string Path, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Path}: {Message}";
}
