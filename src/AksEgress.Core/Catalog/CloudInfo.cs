namespace AksEgress.Catalog;

/// <summary>A cloud and the regions (canonical lower-case names) the catalog knows for it.</summary>
public sealed record CloudInfo(AksCloud Name, IReadOnlyList<string> Regions)
{
    public override string ToString() => $"{Name} ({Regions.Count} regions)";
}
