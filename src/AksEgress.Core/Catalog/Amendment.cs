namespace AksEgress.Catalog;

/// <summary>A dated change to the rules that the source document does not (yet) show.</summary>
public sealed record Amendment(string Id, DateTime Date, SourceDocument Source, string Summary)
{
    public override string ToString() => $"{Id} ({Date:yyyy-MM-dd})";
}
