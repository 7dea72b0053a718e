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
/// What the cmdlets that talk to ARM share: the policy id from -PolicyId or -SubscriptionId/-ResourceGroupName/-Name,
/// the credential, and async work run off the pipeline thread with its messages written on it (as PowerShell requires),
/// its failures turned into terminating errors with the module's ErrorIds, and Ctrl+C cancelling it.
/// </summary>
internal sealed class ArmCommandRunner
{
    private readonly PSCmdlet _cmdlet;
    private readonly string _activity;
    private readonly CancellationTokenSource _cancel = new();
    private readonly ConcurrentQueue<string> _messages = new();

    public ArmCommandRunner(PSCmdlet cmdlet, string activity)
    {
        _cmdlet = cmdlet;
        _activity = activity;
    }

    /// <summary>Collects a message from any thread; it is written as verbose and progress on the pipeline thread.</summary>
    public void Log(string message) => _messages.Enqueue(message);

    public void Cancel() => _cancel.Cancel();

    public ResourceIdentifier ResolvePolicyId(string? policyId, string? subscriptionId, string resourceGroupName, string name)
    {
        try
        {
            if (policyId is not null)
            {
                return ArmFirewallPolicyStore.ParsePolicyId(policyId);
            }

            var subscription = subscriptionId ?? Environment.GetEnvironmentVariable("AZURE_SUBSCRIPTION_ID");
            if (string.IsNullOrEmpty(subscription))
            {
                _cmdlet.ThrowTerminatingError(new ErrorRecord(
                    new PSArgumentException("Give the subscription of the firewall policy with -SubscriptionId (or set AZURE_SUBSCRIPTION_ID), or give the whole -PolicyId."),
                    "SubscriptionRequired", ErrorCategory.InvalidArgument, null));
            }

            return ArmFirewallPolicyStore.PolicyId(subscription!, resourceGroupName, name);
        }
        catch (FormatException ex)
        {
            _cmdlet.ThrowTerminatingError(new ErrorRecord(ex, "InvalidPolicyId", ErrorCategory.InvalidArgument, policyId ?? name));
            throw; // not reached
        }
    }

    public ArmFirewallPolicyStore Store(AksCloud cloud, Uri? endpoint, SecureString? accessToken, string? tenantId)
    {
        _cmdlet.WriteVerbose($"ARM endpoint {endpoint?.ToString() ?? AzureClouds.Environment(cloud).Endpoint.ToString()} ({cloud}); {(accessToken is null ? "DefaultAzureCredential" : "the given access token")}.");
        return new ArmFirewallPolicyStore(new ArmConnectionOptions { Cloud = cloud, Endpoint = endpoint, Credential = Credential(cloud, accessToken, tenantId) });
    }

    /// <summary>Runs <paramref name="work"/>; null when cancelled. Failures stop the cmdlet with an ErrorRecord.</summary>
    public T? Run<T>(Func<CancellationToken, Task<T>> work, string status, object? target)
        where T : class
    {
        var task = Task.Run(() => work(_cancel.Token));
        var progress = new ProgressRecord(1, _activity, status);
        // Waits without Task.Wait, which would wrap a failure in an AggregateException.
        while (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(50))
        {
            Drain(progress);
        }

        Drain(progress);
        progress.RecordType = ProgressRecordType.Completed;
        _cmdlet.WriteProgress(progress);
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
            _cmdlet.ThrowTerminatingError(new ErrorRecord(ex, ex.ErrorId, Category(ex.Kind), target));
        }
        catch (AuthenticationFailedException ex)
        {
            _cmdlet.ThrowTerminatingError(new ErrorRecord(
                new AuthenticationFailedException("No credential could sign in to Azure. " + ex.Message + " Sign in with 'az login' or 'Connect-AzAccount', run where a managed identity is assigned, or give -AccessToken.", ex),
                "AuthenticationFailed", ErrorCategory.AuthenticationError, null));
        }

        return null;
    }

    private static TokenCredential Credential(AksCloud cloud, SecureString? accessToken, string? tenantId) =>
        accessToken is not null
            ? new AccessTokenCredential(Plain(accessToken))
            // Managed identity in an Automation runbook; Azure CLI, Azure PowerShell or environment variables on a workstation.
            : new DefaultAzureCredential(new DefaultAzureCredentialOptions { AuthorityHost = AzureClouds.AuthorityHost(cloud), TenantId = tenantId });

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

    private void Drain(ProgressRecord progress)
    {
        while (_messages.TryDequeue(out var message))
        {
            _cmdlet.WriteVerbose(message);
            progress.StatusDescription = message.Length > 100 ? message.Substring(0, 100) : message;
            _cmdlet.WriteProgress(progress);
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
