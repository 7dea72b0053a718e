namespace AksEgress.Catalog;

/// <summary>Where in a source document a rule is written.</summary>
public sealed record SourceReference(SourceDocument Document, string Section)
{
    public override string ToString() => $"{Document.Document} § {Section}";
}
