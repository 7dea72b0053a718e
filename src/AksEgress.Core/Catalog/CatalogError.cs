namespace AksEgress.Catalog;

/// <summary>One problem in a catalog file (AKSCAT001): where it is (1-based line and column, field path) and what is wrong.</summary>
public sealed record CatalogError : Finding
{
    [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
    public CatalogError(string file, int line, int column, string path, string message)
    {
        Code = DiagnosticRules.InvalidCatalogEntry;
        SeverityValue = FindingSeverity.Error;
        File = file;
        Line = line;
        Column = column;
        Path = path;
        Message = message;
    }

    public override string? Target => Path;

    public override string ToString() => $"{File}:{Line}:{Column}: {Path}: {Message}";
}
