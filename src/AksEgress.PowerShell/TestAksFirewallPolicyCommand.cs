using System.IO;
using System.Threading;
using System.Threading.Tasks;
using System.Management.Automation;
using AksEgress.Azure;
using AksEgress.Catalog;
using AksEgress.Firewall.Coverage;
using AksEgress.Requirements;

namespace AksEgress.PowerShell;

/// <summary>
/// Test-AksFirewallPolicy: for each requirement, whether an Azure Firewall policy lets it through and which rule decides
/// (the default); with -Hygiene, which rules are stale (2019 edition, retired) or over-broad; with -Quiet, one boolean.
/// Live through ARM (read only) or from a file. One question per parameter set, so one output type per set: the sets
/// are the product of where the policy comes from (name, id, file, firewall) and what is asked. With a cluster
/// (-ClusterResourceId, or -ClusterName), the requirements and the sources come from it, and its egress path (outbound
/// type, subnets, route tables) is checked to lead to a firewall that uses the policy (<see cref="EgressPathCheck"/>).
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "AksFirewallPolicy", DefaultParameterSetName = ByName)]
[OutputType(typeof(RequirementCoverage), ParameterSetName = [ByName, ById, FromFile, ByFirewall])]
[OutputType(typeof(PolicyHygieneFinding), typeof(EgressPathFinding), ParameterSetName = [ByName + HygieneSet, ById + HygieneSet, FromFile + HygieneSet, ByFirewall + HygieneSet])]
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

    /// <summary>An AKS cluster: its requirements, its node and pod subnets as sources, and whether its egress goes through this firewall (read only).</summary>
    [Parameter]
    [Alias("ClusterId")]
    [ValidateNotNullOrEmpty]
    public string? ClusterResourceId { get; set; }

    /// <summary>The cluster by name, in -ClusterResourceGroupName (or -ResourceGroupName when that is where it is).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ClusterName { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ClusterResourceGroupName { get; set; }

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
        var cluster = ReadCluster();
        if (cluster is null && (ClusterResourceId ?? ClusterName) is not null)
        {
            return; // cancelled
        }

        var requirements = Requirements(cluster);
        var cloud = EffectiveCloud(requirements);
        if (ReadPolicy(cloud) is not { } document)
        {
            return; // cancelled
        }

        var path = cluster is null ? null : CheckEgressPath(cloud, cluster, document.Firewalls);
        if (cluster is not null && path is null)
        {
            return; // cancelled
        }

        var sources = SourceAddress.Length > 0 || SourceIpGroupId.Length > 0 || path is null ? SourceAddress : path.Sources.ToArray();

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

            WriteObject(FindingSelection.Select(hygiene.Cast<Finding>().Concat(path?.Findings ?? []), IncludeRule, ExcludeRule, Severity), enumerateCollection: true);
            return;
        }

        foreach (var finding in path?.Findings ?? [])
        {
            WriteWarning(finding.ToString());
        }

        var coverage = FirewallCoverageAnalyzer.Analyze(groups, requirements, sources, document.DnsProxyEnabled, SourceIpGroupId, document.IpGroups, document.MissingParent);
        WriteVerbose($"{groups.Count} rule collection groups; {coverage.Count(c => c.StatusValue is CoverageStatus.Allowed)} of {coverage.Count} requirements allowed; {hygiene.Count} findings on rules to review.");
        if (hygiene.Select(h => (h.RuleCollectionGroup, h.RuleCollection, h.Rule)).Distinct().Count() is > 0 and var review)
        {
            WriteWarning($"{review} rules of the policy are stale or over-broad; list them with -Hygiene.");
        }

        if (ParameterSetName.EndsWith(QuietSet, StringComparison.Ordinal))
        {
            WriteObject(coverage.Where(c => c.Required).All(c => c.StatusValue is CoverageStatus.Allowed) && !(path?.Findings.Any(f => f.SeverityValue is FindingSeverity.Error) ?? false));
            return;
        }

        WriteObject(coverage, enumerateCollection: true);
    }

    protected override void StopProcessing() => _arm.Cancel();

    /// <summary>The piped requirements, else the cluster's, else the query's for each -Location; RequirementsRequired when there are none.</summary>
    private List<AksEgressRule> Requirements(ManagedClusterProfile? cluster)
    {
        if (_rules.Count > 0)
        {
            return _rules;
        }

        if (cluster is not null)
        {
            if (Location.Length > 0)
            {
                ThrowTerminatingError(ModuleErrors.Record(new PSArgumentException("The cluster gives the region: leave out -Location, or leave out the cluster and give -SourceAddress."),
                    "LocationWithCluster", Location));
            }

            return Query(null, cluster)?.Rules.ToList() ?? [];
        }

        if (ParameterSetName.EndsWith(HygieneSet, StringComparison.Ordinal) && Location.Length == 0)
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

    /// <summary>The cluster named by -ClusterResourceId or -ClusterName, read through ARM; null when none is named or when cancelled.</summary>
    private ManagedClusterProfile? ReadCluster()
    {
        if ((ClusterResourceId ?? ClusterName) is null)
        {
            return null;
        }

        if (ClusterResourceId is not null && ClusterName is not null)
        {
            ThrowTerminatingError(ModuleErrors.Record(new PSArgumentException("Give -ClusterResourceId or -ClusterName, not both."), "InvalidClusterId", ClusterName));
        }

        var group = ClusterResourceGroupName ?? (ResourceGroupName.Length > 0 ? ResourceGroupName : null);
        if (ClusterName is not null && group is null)
        {
            ThrowTerminatingError(ModuleErrors.Record(new PSArgumentException("With -ClusterName, give -ClusterResourceGroupName: the resource group of the cluster."), "InvalidClusterId", ClusterName));
        }

        return _arm.ReadCluster(Cloud, ClusterResourceId, group ?? "", ClusterName ?? "");
    }

    /// <summary>The cluster's subnets, route tables and outbound type against the firewalls that use the policy; null when cancelled.</summary>
    private EgressPathResult? CheckEgressPath(AksCloud cloud, ManagedClusterProfile cluster, IReadOnlyList<FirewallAddress> firewalls)
    {
        var store = _arm.Store(cloud);
        var result = _arm.Run(ct => EgressPathCheck.CheckAsync(cluster, firewalls, store, ct), "Reading the cluster's subnets and route tables", cluster.ResourceId ?? cluster.Name);
        foreach (var line in result?.Evidence ?? [])
        {
            WriteVerbose($"Egress path: {line}");
        }

        if (result is not null && SourceAddress.Length == 0 && SourceIpGroupId.Length == 0)
        {
            WriteVerbose(result.Sources.Count > 0
                ? $"Sources from the cluster's subnets: {string.Join(", ", result.Sources)}."
                : "No subnet of the cluster could be read: sources are not checked.");
        }

        return result;
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
        IReadOnlyList<FirewallAddress>? firewalls = null;
        if (ParameterSetName.StartsWith(ByFirewall, StringComparison.Ordinal))
        {
            if (_arm.FirewallId(cloud, ResourceGroupName, FirewallName) is not { } firewallId
                || _arm.Run(ct => ReadFirewallAsync(store, firewallId, ct), "Reading the firewall", FirewallName) is not { } firewall)
            {
                return null;
            }

            // A firewall that uses a policy is checked through the policy; one with classic rules, as they are, with the IP groups they name.
            if (firewall["properties"]?["firewallPolicy"]?["id"]?.GetValue<string>() is not { } policyOfFirewall)
            {
                var classic = FirewallPolicyDocument.Read(firewall, firewallId);
                var problems = new List<string>();
                if (_arm.Run(ct => FirewallPolicySnapshot.ReadIpGroupsAsync(store, classic.Groups, problems, ct), "Reading the IP groups of the firewall's rules", FirewallName) is not { } classicIpGroups)
                {
                    return null;
                }

                problems.ForEach(WriteWarning);
                return classic with { IpGroups = classicIpGroups };
            }

            WriteVerbose($"Firewall {FirewallName} uses firewall policy {policyOfFirewall}.");
            usedPolicy = policyOfFirewall;
            firewalls = FirewallAddress.Of(firewall, FirewallName);
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

        // The firewalls that use the policy, for the egress path of a cluster (an unreadable one is left out: the path is then unknown).
        if (firewalls is null && (ClusterResourceId ?? ClusterName) is not null)
        {
            firewalls = _arm.Run(async ct =>
            {
                var found = new List<FirewallAddress>();
                foreach (var id in snapshot.Firewalls.Take(20))
                {
                    try
                    {
                        found.AddRange(FirewallAddress.Of(await ReadFirewallAsync(store, id, ct).ConfigureAwait(false), id.TrimEnd('/').Split('/').Last()));
                    }
                    catch (FirewallApplyException ex) when (ex.Kind is FailureKind.PermissionDenied or FailureKind.NotFound or FailureKind.InvalidData)
                    {
                        _arm.Log($"Firewall {id} cannot be read ({ex.ErrorId}).");
                    }
                }

                return (IReadOnlyList<FirewallAddress>)found;
            }, "Reading the firewalls that use the policy", policyId);
            if (firewalls is null)
            {
                return null;
            }
        }

        return new FirewallPolicyDocument(snapshot.Groups, snapshot.DnsProxyEnabled)
        {
            PolicyName = FirewallPolicyId.Parse(policyId).Name, IpGroups = snapshot.IpGroups, MissingParent = snapshot.MissingParent, Firewalls = firewalls ?? [],
        };
    }

    /// <summary>An Azure Firewall as ARM returns it; FirewallNotFound when it does not exist.</summary>
    private static async Task<System.Text.Json.Nodes.JsonObject> ReadFirewallAsync(IFirewallPolicyStore store, string firewallId, CancellationToken cancellationToken) =>
        await store.GetNetworkResourceAsync(firewallId, cancellationToken).ConfigureAwait(false)
            ?? throw new FirewallApplyException("FirewallNotFound", FailureKind.NotFound, $"Azure Firewall {firewallId.TrimEnd('/').Split('/').Last()} does not exist in resource group {firewallId.Split('/')[4]}.");
}
