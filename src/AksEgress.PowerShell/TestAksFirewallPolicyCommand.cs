using System.IO;
using System.Management.Automation;
using AksEgress.Azure;
using AksEgress.Catalog;
using AksEgress.Firewall;
using AksEgress.Firewall.Coverage;
using AksEgress.Requirements;

namespace AksEgress.PowerShell;

/// <summary>
/// Test-AksFirewallPolicy: for each requirement, whether an Azure Firewall policy lets it through and which rule
/// decides; and which rules are stale (2019 edition) or over-broad. Live through ARM (read only) or from a file.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "AksFirewallPolicy", DefaultParameterSetName = ByName)]
[OutputType(typeof(RequirementCoverage), typeof(PolicyHygieneFinding), typeof(bool))]
public sealed class TestAksFirewallPolicyCommand : PSCmdlet, IDynamicParameters
{
    private const string ByName = "ByName";
    private const string ById = "ById";
    private const string FromFile = "FromFile";
    private readonly List<AksEgressRule> _rules = [];
    private readonly ArmCommandRunner _arm;

    public TestAksFirewallPolicyCommand() => _arm = new ArmCommandRunner(this, "Test-AksFirewallPolicy");

    [Parameter(Mandatory = true, ParameterSetName = ByName)]
    [ValidateNotNullOrEmpty]
    public string ResourceGroupName { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = ByName)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = ById)]
    [ValidateNotNullOrEmpty]
    public string PolicyId { get; set; } = "";

    /// <summary>An ARM template, ARM's list of rule collection groups, or one group, as JSON.</summary>
    [Parameter(Mandatory = true, ParameterSetName = FromFile)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Requirements from Get-AksEgressRequirement; without them, -Location and the options below say what to check.</summary>
    [Parameter(ValueFromPipeline = true)]
    [ValidateNotNull]
    public AksEgressRule[] InputObject { get; set; } = [];

    [Parameter]
    [ArgumentCompleter(typeof(LocationCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Location { get; set; }

    [Parameter]
    public AksCloud Cloud { get; set; }

    [Parameter]
    [ValidateNotNull]
    public AksFeature[] Feature { get; set; } = [];

    [Parameter]
    public SwitchParameter PrivateCluster { get; set; }

    [Parameter]
    public SwitchParameter Konnectivity { get; set; }

    [Parameter]
    public SwitchParameter IncludeOptional { get; set; }

    /// <summary>The cluster's addresses: rules must allow these sources. Without it, sources are not checked.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] SourceAddress { get; set; } = [];

    /// <summary>Return only $true (every required rule is allowed) or $false.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    public object GetDynamicParameters() => _arm.Connection;

    protected override void ProcessRecord() => _rules.AddRange(InputObject.Where(r => r is not null));

    protected override void EndProcessing()
    {
        var requirements = Requirements();
        // The cloud of the requirements, unless -Cloud says otherwise: it chooses the ARM endpoint and the stale rules.
        var cloud = MyInvocation.BoundParameters.ContainsKey(nameof(Cloud)) || Location is not null ? Cloud : requirements.FirstOrDefault()?.Cloud ?? Cloud;
        var (groups, dnsProxy) = ReadPolicy(cloud);
        if (groups is null)
        {
            return;
        }

        var coverage = FirewallCoverageAnalyzer.Analyze(groups, requirements, SourceAddress, dnsProxy);
        var location = Location is not null ? requirements.FirstOrDefault()?.Location : PipedValues.Shared(requirements.Select(r => r.Location));
        var hygiene = location is null ? [] : PolicyHygiene.Check(groups, StaleDestinations.For(RuleCatalog.Embedded, cloud, location, DateTime.UtcNow.Date)).ToList();
        WriteVerbose($"{groups.Count} rule collection groups; {coverage.Count(c => c.Status is CoverageStatus.Allowed)} of {coverage.Count} requirements allowed; {hygiene.Count} rules to review.");

        if (Quiet)
        {
            WriteObject(coverage.Where(c => c.Required).All(c => c.Status is CoverageStatus.Allowed));
            return;
        }

        WriteObject(coverage, enumerateCollection: true);
        WriteObject(hygiene, enumerateCollection: true);
    }

    protected override void StopProcessing() => _arm.Cancel();

    private List<AksEgressRule> Requirements()
    {
        if (_rules.Count > 0)
        {
            return _rules;
        }

        if (Location is null)
        {
            ThrowTerminatingError(ModuleErrors.Record(new PSArgumentException("Pipe the output of Get-AksEgressRequirement, or give -Location (with -Cloud, -Feature and the cluster's options) to say what to check."),
                "RequirementsRequired", null));
        }

        try
        {
            return RequirementEngine.Query(RuleCatalog.Embedded, new RequirementQuery
            {
                Cloud = Cloud, Location = Location!, Features = Feature, PrivateCluster = PrivateCluster, Konnectivity = Konnectivity,
                IncludeOptional = IncludeOptional, AsOf = DateTime.UtcNow.Date,
            }).Rules.ToList();
        }
        catch (UnknownLocationException ex)
        {
            ThrowTerminatingError(ModuleErrors.Record(ex, "UnknownLocation", Location));
            throw; // not reached
        }
    }

    private (IReadOnlyList<FirewallRuleCollectionGroup>? Groups, bool? DnsProxy) ReadPolicy(AksCloud cloud)
    {
        if (ParameterSetName == FromFile)
        {
            var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            try
            {
                var document = FirewallPolicyDocument.Parse(File.ReadAllText(path), path);
                return (document.Groups, document.DnsProxyEnabled);
            }
            catch (FirewallPlanException ex)
            {
                ThrowTerminatingError(ModuleErrors.Record(ex, ex.ErrorId, path));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                ThrowTerminatingError(ModuleErrors.Record(ex, ex is FileNotFoundException or DirectoryNotFoundException ? "PolicyFileNotFound" : "PolicyFileUnreadable", path));
            }
        }

        if (_arm.PolicyId(cloud, ParameterSetName == ById ? PolicyId : null, ResourceGroupName, Name) is not { } policyId)
        {
            return (null, null); // cancelled
        }

        var store = _arm.Store(cloud);
        var snapshot = _arm.Run(ct => FirewallPolicySnapshot.ReadAsync(store, policyId, ct), "Reading the firewall policy", Name.Length > 0 ? Name : PolicyId);
        return (snapshot?.Groups, snapshot?.DnsProxyEnabled);
    }
}
