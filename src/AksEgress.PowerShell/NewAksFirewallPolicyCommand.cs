using System.Management.Automation;
using AksEgress.Azure;
using AksEgress.Catalog;

namespace AksEgress.PowerShell;

/// <summary>
/// New-AksFirewallPolicy: writes the piped requirements into one rule collection group of an Azure Firewall policy,
/// through ARM. Idempotent (no write when in sync), conditional (ETags), and never touches another group.
/// </summary>
[Cmdlet(VerbsCommon.New, "AksFirewallPolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByName)]
[OutputType(typeof(FirewallApplyResult))]
public sealed class NewAksFirewallPolicyCommand : FirewallGroupCmdlet, IDynamicParameters
{
    private const string ByName = "ByName";
    private const string ById = "ById";
    private readonly ArmCommandRunner _arm;

    public NewAksFirewallPolicyCommand() => _arm = new ArmCommandRunner(this, "New-AksFirewallPolicy");

    [Parameter(Mandatory = true, ParameterSetName = ByName)]
    [ValidateNotNullOrEmpty]
    public string ResourceGroupName { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = ByName)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = ById)]
    [ValidateNotNullOrEmpty]
    public string PolicyId { get; set; } = "";

    /// <summary>Where to create the policy if it does not exist; defaults to the region of the piped rules.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(LocationCompleter))]
    public string? PolicyLocation { get; set; }

    [Parameter]
    public SwitchParameter EnableDnsProxy { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public AksCloud Cloud { get; set; }

    public object GetDynamicParameters() => _arm.Connection;

    protected override void EndProcessing()
    {
        var group = BuildGroup();
        var cloud = MyInvocation.BoundParameters.ContainsKey(nameof(Cloud)) ? Cloud : PipedValues.Shared(Rules.Select(r => r.CloudValue)); // mixed clouds: AzureCloud
        if (_arm.PolicyId(cloud, ParameterSetName == ById ? PolicyId : null, ResourceGroupName, Name) is not { } policyId)
        {
            return; // cancelled
        }

        var request = new FirewallApplyRequest
        {
            PolicyId = policyId,
            Desired = group,
            PolicyLocation = PolicyLocation ?? PipedValues.Shared(Rules.Select(r => r.Location)),
            EnableDnsProxy = EnableDnsProxy,
            Force = Force,
        };

        var applier = new FirewallPolicyApplier(_arm.Store(cloud), _arm.Log);
        var target = Name.Length > 0 ? Name : PolicyId;
        var plan = _arm.Run(ct => applier.PlanAsync(request, ct), "Reading the firewall policy", target);
        if (plan is null)
        {
            return;
        }

        var description = plan.Describe();
        WriteVerbose(description);
        if (plan.Action is FirewallAction.None && plan.CreatePolicyIn is null && !plan.EnableDnsProxy)
        {
            WriteObject(new FirewallApplyResult
            {
                PolicyId = plan.PolicyId.ToString(), RuleCollectionGroup = group.Name, ActionValue = FirewallAction.None, DnsProxyEnabled = plan.Policy?.DnsProxyEnabled ?? false,
                ETag = plan.Current?.ETag, ProvisioningState = plan.Current?.ProvisioningState, Attempts = 1,
            });
            return;
        }

        if (!ShouldProcess(plan.GroupId, description))
        {
            return;
        }

        var result = _arm.Run(ct => applier.ApplyAsync(request, plan, ct), "Writing the rule collection group", target);
        if (result is not null)
        {
            WriteObject(result);
        }
    }

    protected override void StopProcessing() => _arm.Cancel();
}
