using System.Collections.Concurrent;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using global::Azure.Core;
using global::Azure.Identity;
using AksEgress.Azure;
using AksEgress.Catalog;

namespace AksEgress.PowerShell;

/// <summary>
/// New-AksFirewallPolicy: writes the piped requirements into one rule collection group of an Azure Firewall policy,
/// through ARM. Idempotent (no write when in sync), conditional (ETags), and never touches another group.
/// </summary>
[Cmdlet(VerbsCommon.New, "AksFirewallPolicy", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ByName)]
[OutputType(typeof(FirewallApplyResult))]
public sealed class NewAksFirewallPolicyCommand : FirewallGroupCmdlet
{
    private const string ByName = "ByName";
    private const string ById = "ById";
    private readonly CancellationTokenSource _cancel = new();
    private readonly ConcurrentQueue<string> _messages = new();

    [Parameter(Mandatory = true, ParameterSetName = ByName)]
    [ValidateNotNullOrEmpty]
    public string ResourceGroupName { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = ByName)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(ParameterSetName = ByName)]
    [ValidateNotNullOrEmpty]
    public string? SubscriptionId { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ById)]
    [ValidateNotNullOrEmpty]
    public string PolicyId { get; set; } = "";

    /// <summary>Where to create the policy if it does not exist; defaults to the region of the piped rules.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PolicyLocation { get; set; }

    [Parameter]
    public SwitchParameter EnableDnsProxy { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public AksCloud Cloud { get; set; }

    [Parameter]
    [ValidateNotNull]
    public Uri? ArmEndpoint { get; set; }

    [Parameter]
    [ValidateNotNull]
    public SecureString? AccessToken { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TenantId { get; set; }

    protected override void EndProcessing()
    {
        var group = BuildGroup();
        var policyId = ResolvePolicyId();
        var cloud = MyInvocation.BoundParameters.ContainsKey(nameof(Cloud)) ? Cloud : SingleOrDefault(Rules.Select(r => r.Cloud)); // mixed clouds: AzureCloud
        var request = new FirewallApplyRequest
        {
            PolicyId = policyId,
            Desired = group,
            PolicyLocation = PolicyLocation ?? SingleOrDefault(Rules.Select(r => r.Location)),
            EnableDnsProxy = EnableDnsProxy,
            Force = Force,
        };

        var store = new ArmFirewallPolicyStore(new ArmConnectionOptions { Cloud = cloud, Endpoint = ArmEndpoint, Credential = Credential(cloud) });
        WriteVerbose($"ARM endpoint {ArmEndpoint?.ToString() ?? AzureClouds.Environment(cloud).Endpoint.ToString()} ({cloud}); {(AccessToken is null ? "DefaultAzureCredential" : "the given access token")}.");
        var applier = new FirewallPolicyApplier(store, _messages.Enqueue);

        var plan = Run(ct => applier.PlanAsync(request, ct), "Reading the firewall policy");
        if (plan is null)
        {
            return;
        }

        var description = plan.Describe();
        WriteVerbose(description);
        if (plan.Action is FirewallAction.None && plan.CreatePolicyIn is null && !plan.EnableDnsProxy)
        {
            WriteObject(new FirewallApplyResult { PolicyId = plan.PolicyId.ToString(), RuleCollectionGroup = group.Name, Action = FirewallAction.None, ETag = plan.Current?.ETag, ProvisioningState = plan.Current?.ProvisioningState, Attempts = 1 });
            return;
        }

        if (!ShouldProcess(plan.GroupId, description))
        {
            return;
        }

        var result = Run(ct => applier.ApplyAsync(request, plan, ct), "Writing the rule collection group");
        if (result is not null)
        {
            WriteObject(result);
        }
    }

    protected override void StopProcessing() => _cancel.Cancel();

    private ResourceIdentifier ResolvePolicyId()
    {
        try
        {
            if (ParameterSetName == ById)
            {
                return ArmFirewallPolicyStore.ParsePolicyId(PolicyId);
            }

            var subscription = SubscriptionId ?? Environment.GetEnvironmentVariable("AZURE_SUBSCRIPTION_ID");
            if (string.IsNullOrEmpty(subscription))
            {
                ThrowTerminatingError(new ErrorRecord(
                    new PSArgumentException("Give the subscription of the firewall policy with -SubscriptionId (or set AZURE_SUBSCRIPTION_ID), or give the whole -PolicyId."),
                    "SubscriptionRequired", ErrorCategory.InvalidArgument, null));
            }

            return ArmFirewallPolicyStore.PolicyId(subscription!, ResourceGroupName, Name);
        }
        catch (FormatException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "InvalidPolicyId", ErrorCategory.InvalidArgument, ParameterSetName == ById ? PolicyId : Name));
            throw; // not reached
        }
    }

    private TokenCredential Credential(AksCloud cloud)
    {
        if (AccessToken is not null)
        {
            return new AccessTokenCredential(Plain(AccessToken));
        }

        // Managed identity in an Automation runbook; Azure CLI, Azure PowerShell or environment variables on a workstation.
        return new DefaultAzureCredential(new DefaultAzureCredentialOptions { AuthorityHost = AzureClouds.AuthorityHost(cloud), TenantId = TenantId });
    }

    private static string Plain(SecureString secure)
    {
        var pointer = Marshal.SecureStringToGlobalAllocUnicode(secure);
        try
        {
            return Marshal.PtrToStringUni(pointer) ?? "";
        }
        finally
        {
            Marshal.ZeroFreeGlobalAllocUnicode(pointer);
        }
    }

    private static T? SingleOrDefault<T>(IEnumerable<T> values)
    {
        var distinct = values.Distinct().Take(2).ToList();
        return distinct.Count == 1 ? distinct[0] : default;
    }

    /// <summary>
    /// Runs Azure work off the pipeline thread and writes its messages (verbose and progress) on it, as PowerShell
    /// requires. Failures become terminating errors with the module's ErrorIds; Ctrl+C cancels the work.
    /// </summary>
    private T? Run<T>(Func<CancellationToken, Task<T>> work, string activity)
        where T : class
    {
        var task = Task.Run(() => work(_cancel.Token));
        var progress = new ProgressRecord(1, "New-AksFirewallPolicy", activity);
        // Waits without Task.Wait, which would wrap a failure in an AggregateException.
        while (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(50))
        {
            Drain(progress);
        }

        Drain(progress);
        progress.RecordType = ProgressRecordType.Completed;
        WriteProgress(progress);
        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
        {
            return null;
        }
        catch (FirewallApplyException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ex.ErrorId, Category(ex.Kind), Name.Length > 0 ? Name : PolicyId));
        }
        catch (AuthenticationFailedException ex)
        {
            ThrowTerminatingError(new ErrorRecord(
                new AuthenticationFailedException("No credential could sign in to Azure. " + ex.Message + " Sign in with 'az login' or 'Connect-AzAccount', run where a managed identity is assigned, or give -AccessToken.", ex),
                "AuthenticationFailed", ErrorCategory.AuthenticationError, null));
        }

        return null;
    }

    private void Drain(ProgressRecord progress)
    {
        while (_messages.TryDequeue(out var message))
        {
            WriteVerbose(message);
            progress.StatusDescription = message.Length > 100 ? message.Substring(0, 100) : message;
            WriteProgress(progress);
        }
    }

    private static ErrorCategory Category(FailureKind kind) => kind switch
    {
        FailureKind.NotFound => ErrorCategory.ObjectNotFound,
        FailureKind.PermissionDenied => ErrorCategory.PermissionDenied,
        FailureKind.Authentication => ErrorCategory.AuthenticationError,
        FailureKind.Conflict => ErrorCategory.ResourceExists,
        FailureKind.InvalidData => ErrorCategory.InvalidData,
        FailureKind.InvalidOperation => ErrorCategory.InvalidOperation,
        _ => ErrorCategory.OperationStopped,
    };
}
