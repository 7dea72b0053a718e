namespace AksEgress.Catalog;

/// <summary>A catalog that cannot be used, with every problem found in it.</summary>
public sealed class CatalogException : Exception
{
    public CatalogException(IReadOnlyList<CatalogError> errors)
        : base(FormatMessage(errors)) => Errors = errors;

    public IReadOnlyList<CatalogError> Errors { get; }

    private static string FormatMessage(IReadOnlyList<CatalogError> errors) =>
        $"The catalog is not valid ({errors.Count} problem{(errors.Count == 1 ? "" : "s")}):"
        + string.Concat(errors.Select(e => Environment.NewLine + "  " + e));
}
