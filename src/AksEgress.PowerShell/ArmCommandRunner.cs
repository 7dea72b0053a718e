using System.Collections.Concurrent;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using AksEgress.Azure;
using AksEgress.Catalog;

namespace AksEgress.PowerShell;

/// <summary>
/// What the cmdlets that talk to ARM share: the policy id from -PolicyId or -SubscriptionId/-ResourceGroupName/-Name,
/// the store, and async work run off the pipeline thread with its messages written on it (as PowerShell requires),
/// its failures turned into terminating errors with the module's ErrorIds, and Ctrl+C cancelling it. It uses no Azure
/// SDK type: the module's dependencies may be isolated from another Azure.Core loaded in the session.
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

    /// <summary>The canonical policy id; bad input stops the cmdlet (InvalidPolicyId, SubscriptionRequired).</summary>
    public string ResolvePolicyId(string? policyId, string? subscriptionId, string resourceGroupName, string name) =>
        ResolveId(() => ArmSession.ResolvePolicyId(policyId, subscriptionId, resourceGroupName, name), "InvalidPolicyId", policyId ?? name);

    /// <summary>The canonical cluster id; bad input stops the cmdlet (InvalidClusterId, SubscriptionRequired).</summary>
    public string ResolveClusterId(string? clusterId, string? subscriptionId, string resourceGroupName, string name) =>
        ResolveId(() => ArmSession.ResolveClusterId(clusterId, subscriptionId, resourceGroupName, name), "InvalidClusterId", clusterId ?? name);

    private string ResolveId(Func<string> resolve, string invalidErrorId, object? target)
    {
        try
        {
            return resolve();
        }
        catch (FormatException ex)
        {
            _cmdlet.ThrowTerminatingError(new ErrorRecord(ex, invalidErrorId, ErrorCategory.InvalidArgument, target));
        }
        catch (ArgumentException ex)
        {
            _cmdlet.ThrowTerminatingError(new ErrorRecord(new PSArgumentException(ex.Message), "SubscriptionRequired", ErrorCategory.InvalidArgument, null));
        }

        return null!; // not reached: ThrowTerminatingError throws
    }

    /// <summary>The token crosses into the Azure assembly as a string, never as a credential object.</summary>
    public static string? Token(SecureString? accessToken) => accessToken is null ? null : Plain(accessToken);

    /// <summary>The ARM store; the token crosses into the Azure assembly as a string, never as a credential object.</summary>
    public IFirewallPolicyStore Store(AksCloud cloud, Uri? endpoint, SecureString? accessToken, string? tenantId)
    {
        _cmdlet.WriteVerbose(ArmSession.Describe(cloud, endpoint, accessToken is not null));
        return ArmSession.OpenStore(cloud, endpoint, Token(accessToken), tenantId);
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
        return null;
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
