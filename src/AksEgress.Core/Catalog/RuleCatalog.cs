using System.Reflection;

namespace AksEgress.Catalog;

/// <summary>A validated, immutable rule catalog: the embedded one, or a user's file in the same format.</summary>
public sealed class RuleCatalog
{
    private const string EmbeddedResourceName = "AksEgress.Catalog.aks-egress-catalog.yaml";
    private static readonly Lazy<RuleCatalog> EmbeddedCatalog = new(LoadEmbedded);

    internal RuleCatalog(
        string origin, int schemaVersion, string version, DateTime published,
        IReadOnlyList<SourceDocument> sources, IReadOnlyList<CloudInfo> clouds, IReadOnlyList<EditionInfo> editions,
        IReadOnlyList<Amendment> amendments, IReadOnlyList<CatalogRule> rules)
    {
        Origin = origin;
        SchemaVersion = schemaVersion;
        Version = version;
        Published = published;
        Sources = sources;
        Clouds = clouds;
        Editions = editions;
        Amendments = amendments;
        Rules = rules;
        Changes = CatalogChange.Of(rules);
    }

    /// <summary>The catalog compiled into the module. Parsed once, on first use.</summary>
    public static RuleCatalog Embedded => EmbeddedCatalog.Value;

    /// <summary>"(embedded)" or the path of the file it was read from.</summary>
    public string Origin { get; }
    public int SchemaVersion { get; }
    public string Version { get; }
    public DateTime Published { get; }
    public IReadOnlyList<SourceDocument> Sources { get; }
    public IReadOnlyList<CloudInfo> Clouds { get; }
    public IReadOnlyList<EditionInfo> Editions { get; }
    public IReadOnlyList<Amendment> Amendments { get; }
    public IReadOnlyList<CatalogRule> Rules { get; }

    /// <summary>Every dated change of the rules (added or removed by an amendment), oldest first.</summary>
    public IReadOnlyList<CatalogChange> Changes { get; }

    public CloudInfo? FindCloud(AksCloud cloud) => Clouds.FirstOrDefault(c => c.Name == cloud);

    /// <summary>Reads and validates a catalog; throws <see cref="CatalogException"/> listing every problem found.</summary>
    public static RuleCatalog Load(TextReader reader, string origin) => new CatalogReader(origin).Read(reader);

    /// <summary>A catalog file: at most 16 MiB (the embedded catalog is 72 KB), a regular file, validated as a whole.</summary>
    public static RuleCatalog LoadFile(string path) => Load(new StringReader(TextFile.Read(path, 16L * 1024 * 1024)), path);

    /// <summary>The text of the embedded catalog, which an update amends.</summary>
    public static string EmbeddedYaml()
    {
        using var stream = typeof(RuleCatalog).GetTypeInfo().Assembly.GetManifestResourceStream(EmbeddedResourceName)
            ?? throw new InvalidOperationException($"The module is damaged: resource {EmbeddedResourceName} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static RuleCatalog LoadEmbedded() => Load(new StringReader(EmbeddedYaml()), "(embedded)");
}
