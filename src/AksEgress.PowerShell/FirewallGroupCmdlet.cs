using System.Management.Automation;

namespace AksEgress.PowerShell;

/// <summary>
/// Base of the cmdlets that turn piped requirements into a rule collection group: the rules come in through
/// -InputObject, the group's shape through the parameters below, and the group is built in EndProcessing.
/// </summary>
public abstract class FirewallGroupCmdlet : PSCmdlet
{
    private readonly List<AksEgressRule> _rules = [];

    /// <summary>Rules from Get-AksEgressRequirement.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public AksEgressRule[] InputObject { get; set; } = [];

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] SourceAddress { get; set; } = [];

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] SourceIpGroupId { get; set; } = [];

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string RuleCollectionGroupName { get; set; } = FirewallPlanOptions.DefaultGroupName;

    [Parameter]
    [ValidateRange(100, 65000)]
    public int Priority { get; set; } = FirewallPlanOptions.DefaultPriority;

    [Parameter]
    public SwitchParameter UseFqdnTag { get; set; }

    /// <summary>The rules received so far.</summary>
    protected IReadOnlyList<AksEgressRule> Rules => _rules;

    protected override void ProcessRecord() => _rules.AddRange(InputObject.Where(r => r is not null));

    /// <summary>The desired group; a problem with the rules or options stops the cmdlet with the planner's ErrorId.</summary>
    protected FirewallRuleCollectionGroup BuildGroup()
    {
        try
        {
            var group = RuleCollectionGroupBuilder.Build(_rules, new FirewallPlanOptions
            {
                GroupName = RuleCollectionGroupName,
                Priority = Priority,
                SourceAddresses = SourceAddress,
                SourceIpGroups = SourceIpGroupId,
                UseFqdnTag = UseFqdnTag,
            });
            WriteVerbose($"Rule collection group {group.Name} (priority {group.Priority}): {group.Rules.Count()} rules from {_rules.Count} requirements.");
            return group;
        }
        catch (FirewallPlanException ex)
        {
            ThrowTerminatingError(ModuleErrors.Record(ex, ex.ErrorId, ex.Target));
            throw; // not reached
        }
    }
}
