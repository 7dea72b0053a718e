namespace AksEgress.Catalog;

/// <summary>A property of the cluster that makes a rule unnecessary (the catalog's <c>notWhen</c>).</summary>
public enum ClusterCondition
{
    PrivateCluster,
    Konnectivity,
}
