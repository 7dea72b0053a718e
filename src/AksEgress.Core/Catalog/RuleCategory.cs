namespace AksEgress.Catalog;

/// <summary>Why a rule is in the catalog.</summary>
public enum RuleCategory
{
    /// <summary>Needed by every cluster of the cloud (subject to its conditions).</summary>
    Required,
    /// <summary>Needed when a feature or add-on is enabled.</summary>
    Feature,
    /// <summary>Not required, recommended by the source.</summary>
    Recommended,
    /// <summary>Needed only in circumstances the query cannot see (old nodes, pods that call the API server).</summary>
    Optional,
}
