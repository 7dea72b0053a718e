using System.IO;
using System.Management.Automation;
using AksEgress.Azure;
using AksEgress.Catalog;
using AksEgress.Firewall.Coverage;

namespace AksEgress.PowerShell;

/// <summary>
/// Test-AksFirewallPolicy: for each requirement, whether an Azure Firewall policy lets it through and which rule decides
/// (the default); with -Hygiene, which rules are stale (2019 edition, retired) or over-broad; with -Quiet, one boolean.
/// Live through ARM (read only) or from a file. One question per parameter set, so one output type per set: the sets
/// are the product of where the policy comes from (name, id, file) and what is asked.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "AksFirewallPolicy", DefaultParameterSetName = ByName)]
[OutputType(typeof(RequirementCoverage), ParameterSetName = [ByName, ById, FromFile, ByFirewall])]
[OutputType(typeof(PolicyHygieneFinding), ParameterSetName = [ByName + HygieneSet, ById + HygieneSet, FromFile + HygieneSet, ByFirewall + HygieneSet])]
[OutputType(typeof(bool), ParameterSetName = [ByName + QuietSet, ById + QuietSet, FromFile + QuietSet, ByFirewall + QuietSet])]
public sealed class TestAksFirewallPolicyCommand : RequirementCmdlet, IDynamicParameters
{
    private const string ByName = "ByName";
    private const string ById = "ById";
    private const string FromFile = "FromFile";
    private const string ByFirewall = "ByFirewall";
    private const string HygieneSet = "Hygiene";
    private const string QuietSet = "Quiet";
    private readonly List<AksEgressRule> _rules = [];
    private readonly ArmCommandRunner _arm;

    public TestAksFirewallPolicyCommand() => _arm = new ArmCommandRunner(this, "Test-AksFirewallPolicy");

    [Parameter(Mandatory = true, ParameterSetName = ByName)]
    [Parameter(Mandatory = true, ParameterSetName = ByName + HygieneSet)]
    [Parameter(Mandatory = true, ParameterSetName = ByName + QuietSet)]
    [Parameter(Mandatory = true, ParameterSetName = ByFirewall)]
    [Parameter(Mandatory = true, ParameterSetName = ByFirewall + HygieneSet)]
    [Parameter(Mandatory = true, ParameterSetName = ByFirewall + QuietSet)]
    [ValidateNotNullOrEmpty]
    public string ResourceGroupName { get; set; } = "";

    /// <summary>An Azure Firewall: its classic rules, or the policy it uses (read only).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByFirewall)]
    [Parameter(Mandatory = true, ParameterSetName = ByFirewall + HygieneSet)]
    [Parameter(Mandatory = true, ParameterSetName = ByFirewall + QuietSet)]
    [ValidateNotNullOrEmpty]
    public string FirewallName { get; set; } = "";

    /// <summary>The firewall policy's name; with -Path, the policy to check when the file holds several.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByName)]
    [Parameter(Mandatory = true, ParameterSetName = ByName + HygieneSet)]
    [Parameter(Mandatory = true, ParameterSetName = ByName + QuietSet)]
    [Parameter(ParameterSetName = FromFile)]
    [Parameter(ParameterSetName = FromFile + HygieneSet)]
    [Parameter(ParameterSetName = FromFile + QuietSet)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = ById)]
    [Parameter(Mandatory = true, ParameterSetName = ById + HygieneSet)]
    [Parameter(Mandatory = true, ParameterSetName = ById + QuietSet)]
    [ValidateNotNullOrEmpty]
    public string PolicyId { get; set; } = "";

    /// <summary>An ARM template, ARM's list of rule collection groups, or one group, as JSON.</summary>
    [Parameter(Mandatory = true, ParameterSetName = FromFile)]
    [Parameter(Mandatory = true, ParameterSetName = FromFile + HygieneSet)]
    [Parameter(Mandatory = true, ParameterSetName = FromFile + QuietSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The stale and over-broad rules of the policy, instead of the coverage of the requirements.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByName + HygieneSet)]
    [Parameter(Mandatory = true, ParameterSetName = ById + HygieneSet)]
    [Parameter(Mandatory = true, ParameterSetName = FromFile + HygieneSet)]
    [Parameter(Mandatory = true, ParameterSetName = ByFirewall + HygieneSet)]
    public SwitchParameter Hygiene { get; set; }

    /// <summary>With -Hygiene: only findings of these rules (AKSFW001 StaleRule, AKSFW002 AnyDestination, AKSFW003 AnySource; wildcards).</summary>
    [Parameter(ParameterSetName = ByName + HygieneSet)]
    [Parameter(ParameterSetName = ById + HygieneSet)]
    [Parameter(ParameterSetName = FromFile + HygieneSet)]
    [Parameter(ParameterSetName = ByFirewall + HygieneSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DiagnosticRuleCompleter))]
    public string[]? IncludeRule { get; set; }

    /// <summary>With -Hygiene: no findings of these rules.</summary>
    [Parameter(ParameterSetName = ByName + HygieneSet)]
    [Parameter(ParameterSetName = ById + HygieneSet)]
    [Parameter(ParameterSetName = FromFile + HygieneSet)]
    [Parameter(ParameterSetName = ByFirewall + HygieneSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DiagnosticRuleCompleter))]
    public string[]? ExcludeRule { get; set; }

    /// <summary>With -Hygiene: only findings of these severities.</summary>
    [Parameter(ParameterSetName = ByName + HygieneSet)]
    [Parameter(ParameterSetName = ById + HygieneSet)]
    [Parameter(ParameterSetName = FromFile + HygieneSet)]
    [Parameter(ParameterSetName = ByFirewall + HygieneSet)]
    [ValidateNotNullOrEmpty]
    public FindingSeverity[]? Severity { get; set; }

    /// <summary>Return only $true (every required rule is allowed) or $false.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ByName + QuietSet)]
    [Parameter(Mandatory = true, ParameterSetName = ById + QuietSet)]
    [Parameter(Mandatory = true, ParameterSetName = FromFile + QuietSet)]
    [Parameter(Mandatory = true, ParameterSetName = ByFirewall + QuietSet)]
    public SwitchParameter Quiet { get; set; }

    /// <summary>Requirements from Get-AksEgressRequirement; without them, -Location and the requirement parameters say what to check.</summary>
    [Parameter(ValueFromPipeline = true)]
    [ValidateNotNull]
    public AksEgressRule[] InputObject { get; set; } = [];

    /// <summary>The cluster's regions, when nothing is piped.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LocationCompleter))]
    public string[] Location { get; set; } = [];

    /// <summary>The cluster's addresses: rules must allow these sources. Without it (and -SourceIpGroupId), sources are not checked.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] SourceAddress { get; set; } = [];

    /// <summary>IP groups holding the cluster's addresses: a rule naming one of them as a source counts.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] SourceIpGroupId { get; set; } = [];

    public object GetDynamicParameters() => _arm.Connection;

    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        try
        {
            RuleCollectionGroupBuilder.ValidateSources(SourceAddress, SourceIpGroupId);
        }
        catch (FirewallPlanException ex)
        {
            ThrowTerminatingError(ModuleErrors.Record(ex, ex.ErrorId, ex.Target));
        }
    }

    protected override void ProcessRecord() => _rules.AddRange(InputObject.Where(r => r is not null));

    protected override void EndProcessing()
    {
        var requirements = Requirements();
        var cloud = EffectiveCloud(requirements);
        if (ReadPolicy(cloud) is not { } document)
        {
            return; // cancelled
        }

        var groups = document.Groups;
        foreach (var line in document.Ignored)
        {
            WriteVerbose($"Not checked: {line}");
        }

        if (document is { Classic: true })
        {
            WriteWarning($"Firewall {document.PolicyName} keeps classic rules, not a firewall policy. To move: New-AksFirewallPolicy writes the equivalent rule collection group into a firewall policy, which you then associate with the firewall.");
        }

        if (document.MissingParent is { } parent && ParameterSetName.StartsWith(FromFile, StringComparison.Ordinal))
        {
            WriteWarning($"Firewall policy {document.PolicyName} inherits from {parent} (basePolicy), which the file does not hold: its rules come first, so every verdict is Unknown. Export the parent into the same file.");
        }

        var locations = requirements.Select(r => r.Location).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var stale = new HashSet<string>(locations.SelectMany(l => StaleDestinations.For(Catalog, cloud, l, AsOf.Date)), StringComparer.OrdinalIgnoreCase);
        var hygiene = PolicyHygiene.Check(groups, stale).ToList();
        if (ParameterSetName.EndsWith(HygieneSet, StringComparison.Ordinal))
        {
            if (locations.Count == 0)
            {
                WriteWarning("Without requirements (piped, or -Location) stale rules cannot be told: only over-broad rules are listed.");
            }

            WriteObject(FindingSelection.Select(hygiene, IncludeRule, ExcludeRule, Severity), enumerateCollection: true);
            return;
        }

        var coverage = FirewallCoverageAnalyzer.Analyze(groups, requirements, SourceAddress, document.DnsProxyEnabled, SourceIpGroupId, document.IpGroups, document.MissingParent);
        WriteVerbose($"{groups.Count} rule collection groups; {coverage.Count(c => c.StatusValue is CoverageStatus.Allowed)} of {coverage.Count} requirements allowed; {hygiene.Count} findings on rules to review.");
        if (hygiene.Select(h => (h.RuleCollectionGroup, h.RuleCollection, h.Rule)).Distinct().Count() is > 0 and var review)
        {
            WriteWarning($"{review} rules of the policy are stale or over-broad; list them with -Hygiene.");
        }

        if (ParameterSetName.EndsWith(QuietSet, StringComparison.Ordinal))
        {
            WriteObject(coverage.Where(c => c.Required).All(c => c.StatusValue is CoverageStatus.Allowed));
            return;
        }

        WriteObject(coverage, enumerateCollection: true);
    }

    protected override void StopProcessing() => _arm.Cancel();

    /// <summary>The piped requirements, else the query's for each -Location; RequirementsRequired when there are neither.</summary>
    private List<AksEgressRule> Requirements()
    {
        if (_rules.Count > 0 || ParameterSetName.EndsWith(HygieneSet, StringComparison.Ordinal) && Location.Length == 0)
        {
            return _rules;
        }

        if (Location.Length == 0)
        {
            ThrowTerminatingError(ModuleErrors.Record(new PSArgumentException("Pipe the output of Get-AksEgressRequirement, or give -Location (with -Cloud, -Feature and the cluster's options) to say what to check."),
                "RequirementsRequired", null));
        }

        return Location.SelectMany(l => Query(l, null)?.Rules ?? []).ToList();
    }

    /// <summary>The policy as a document, from the file or read live (with its parents and IP groups); null when cancelled.</summary>
    private FirewallPolicyDocument? ReadPolicy(AksCloud cloud)
    {
        if (ParameterSetName.StartsWith(FromFile, StringComparison.Ordinal))
        {
            var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            try
            {
                return FirewallPolicyDocument.Parse(TextFile.Read(path, 64L * 1024 * 1024), path, Name.Length > 0 ? Name : null);
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

        var store = _arm.Store(cloud);
        string? usedPolicy = null;
        if (ParameterSetName.StartsWith(ByFirewall, StringComparison.Ordinal))
        {
            if (_arm.FirewallId(cloud, ResourceGroupName, FirewallName) is not { } firewallId
                || _arm.Run(ct => store.GetFirewallAsync(firewallId, ct), "Reading the firewall", FirewallName) is not { } firewall)
            {
                return null;
            }

            // A firewall that uses a policy is checked through the policy; one with classic rules, as they are.
            if (firewall["properties"]?["firewallPolicy"]?["id"]?.GetValue<string>() is not { } policyOfFirewall)
            {
                return FirewallPolicyDocument.Read(firewall, firewallId);
            }

            WriteVerbose($"Firewall {FirewallName} uses firewall policy {policyOfFirewall}.");
            usedPolicy = policyOfFirewall;
        }

        if ((usedPolicy ?? _arm.PolicyId(cloud, ParameterSetName.StartsWith(ById, StringComparison.Ordinal) ? PolicyId : null, ResourceGroupName, Name)) is not { } policyId)
        {
            return null;
        }

        if (_arm.Run(ct => FirewallPolicySnapshot.ReadAsync(store, policyId, ct), "Reading the firewall policy, its parents and IP groups", Name.Length > 0 ? Name : policyId) is not { } snapshot)
        {
            return null;
        }

        foreach (var problem in snapshot.Problems)
        {
            WriteWarning(problem);
        }

        return new FirewallPolicyDocument(snapshot.Groups, snapshot.DnsProxyEnabled)
        {
            PolicyName = FirewallPolicyId.Parse(policyId).Name, IpGroups = snapshot.IpGroups, MissingParent = snapshot.MissingParent,
        };
    }
}
