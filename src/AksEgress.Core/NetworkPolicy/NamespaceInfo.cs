namespace AksEgress.NetworkPolicy;

/// <summary>A namespace and its labels, including the automatic kubernetes.io/metadata.name.</summary>
public sealed record NamespaceInfo(string Name, IReadOnlyDictionary<string, string> Labels)
{
    public const string NameLabel = "kubernetes.io/metadata.name";

    public static NamespaceInfo Implicit(string name) => new(name, new Dictionary<string, string> { [NameLabel] = name });
}
