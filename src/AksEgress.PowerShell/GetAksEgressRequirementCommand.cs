using System.Management.Automation;
using AksEgress.Catalog;
using AksEgress.Requirements;

namespace AksEgress.PowerShell;

/// <summary>Get-AksEgressRequirement: the egress rules a cluster needs, for a cloud, a region, its options and features.</summary>
// The default set is the cluster id's: an object piped in with both Id and Location (Get-AzAksCluster's) then binds its
// Id, and the cluster is read; a string or an object with only a Location still binds -Location.
[Cmdlet(VerbsCommon.Get, "AksEgressRequirement", DefaultParameterSetName = ByClusterId)]
[OutputType(typeof(AksEgressRule))]
public sealed class GetAksEgressRequirementCommand : RequirementCmdlet, IDynamicParameters
{
    private const string ByLocation = "Location";
    private const string ByClusterId = "ClusterId";
    private const string ByClusterName = "ClusterName";
    private readonly ArmCommandRunner _arm;

    public GetAksEgressRequirementCommand() => _arm = new ArmCommandRunner(this, "Get-AksEgressRequirement");

    /// <summary>One or more regions; each gives its own rules.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByLocation)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LocationCompleter))]
    public string[] Location { get; set; } = [];

    /// <summary>An AKS cluster to read the region, private API server, add-ons, node pools and DNS servers from (read only).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByClusterId)]
    [Alias("Id", "ResourceId")]
    [ValidateNotNullOrEmpty]
    public string? ClusterResourceId { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ByClusterName)]
    [ValidateNotNullOrEmpty]
    public string ResourceGroupName { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = ByClusterName)]
    [ValidateNotNullOrEmpty]
    public string ClusterName { get; set; } = "";

    [Parameter]
    public CatalogEdition Edition { get; set; } = CatalogEdition.Current;

    /// <summary>-SubscriptionId, -ArmEndpoint, -AccessToken and -TenantId, used when reading a cluster.</summary>
    public object GetDynamicParameters() => _arm.Connection;

    protected override void StopProcessing() => _arm.Cancel();

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ByLocation)
        {
            foreach (var location in Location)
            {
                Write(Query(location, null, Edition));
            }

            return;
        }

        if (_arm.ReadCluster(Cloud, ClusterResourceId, ResourceGroupName, ClusterName) is { } cluster)
        {
            Write(Query(null, cluster, Edition));
        }
    }

    private void Write(RequirementResult? result)
    {
        if (result is not null)
        {
            WriteObject(result.Rules, enumerateCollection: true);
        }
    }
}
