using System.Management.Automation;
using System.Net;
using AksEgress.Catalog;
using AksEgress.Requirements;

namespace AksEgress.PowerShell;

/// <summary>Get-AksEgressRequirement: the egress rules a cluster needs, for a cloud, a region, its options and features.</summary>
[Cmdlet(VerbsCommon.Get, "AksEgressRequirement")]
[OutputType(typeof(AksEgressRule))]
public sealed class GetAksEgressRequirementCommand : CatalogCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LocationCompleter))]
    public string Location { get; set; } = "";

    [Parameter]
    public AksCloud Cloud { get; set; } = AksCloud.AzureCloud;

    [Parameter]
    [ValidateNotNull]
    public AksFeature[] Feature { get; set; } = [];

    [Parameter]
    public SwitchParameter PrivateCluster { get; set; }

    [Parameter]
    public SwitchParameter Konnectivity { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public IPAddress[] DnsServer { get; set; } = [];

    [Parameter]
    [ValidateNotNull]
    public IPAddress? ApiServerAddress { get; set; }

    [Parameter]
    public SwitchParameter IncludeOptional { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public RuleCategory[]? Category { get; set; }

    [Parameter]
    public MonitorAccess AzureMonitorAccess { get; set; } = MonitorAccess.Fqdn;

    [Parameter]
    public CatalogEdition Edition { get; set; } = CatalogEdition.Current;

    [Parameter]
    public DateTime AsOf { get; set; } = DateTime.UtcNow.Date;

    protected override void ProcessRecord()
    {
        var query = new RequirementQuery
        {
            Cloud = Cloud,
            Location = Location,
            Features = Feature,
            PrivateCluster = PrivateCluster,
            Konnectivity = Konnectivity,
            DnsServers = DnsServer,
            ApiServerAddress = ApiServerAddress,
            Categories = Category,
            IncludeOptional = IncludeOptional,
            AzureMonitorAccess = AzureMonitorAccess,
            Edition = Edition,
            AsOf = AsOf.Date,
        };

        RequirementResult result;
        try
        {
            result = RequirementEngine.Query(Catalog, query);
        }
        catch (UnknownLocationException ex)
        {
            WriteError(new ErrorRecord(ex, "UnknownLocation", ErrorCategory.InvalidArgument, Location)
            {
                ErrorDetails = new ErrorDetails(ex.Message) { RecommendedAction = ex.Suggestions.Count > 0 ? $"Use one of: {string.Join(", ", ex.Suggestions)}." : "Press Tab after -Location to list the regions." },
            });
            return;
        }

        foreach (var omission in result.Omissions)
        {
            WriteVerbose($"Left out {omission.RuleId}: {omission.Reason}");
        }

        foreach (var warning in result.Warnings)
        {
            WriteWarning(warning);
        }

        WriteVerbose($"{Cloud} {result.Location}, edition {Edition}, as of {AsOf:yyyy-MM-dd}: {result.Rules.Count} rules.");
        WriteObject(result.Rules, enumerateCollection: true);
    }
}
