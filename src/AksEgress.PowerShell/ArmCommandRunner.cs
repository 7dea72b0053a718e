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
/// What the cmdlets that talk to ARM share: the connection (<see cref="ArmConnectionParameters"/>), the subscription
/// found where Az users have it, resource ids, the store, and async work run off the pipeline thread with its messages
/// written on it (as PowerShell requires), its failures turned into terminating errors with the module's ErrorIds, and
/// Ctrl+C cancelling it. It uses no Azure SDK type: the module's dependencies may be isolated from another Azure.Core.
/// </summary>
internal sealed class ArmCommandRunner
{
    private readonly PSCmdlet _cmdlet;
    private readonly string _activity;
    private readonly CancellationTokenSource _cancel = new();
    private CancellationTokenSource? _deadline;
    private string _current = "";
    private bool _endpointSaid;
    private readonly ConcurrentQueue<string> _messages = new();

    public ArmCommandRunner(PSCmdlet cmdlet, string activity)
    {
        _cmdlet = cmdlet;
        _activity = activity;
    }

    /// <summary>The connection parameters, which the cmdlet offers as dynamic parameters.</summary>
    public ArmConnectionParameters Connection { get; } = new();

    private string? Token => Connection.AccessToken is { } token ? Plain(token) : null;

    /// <summary>Collects a message from any thread; it is written as verbose and progress on the pipeline thread.</summary>
    public void Log(string message) => _messages.Enqueue(message);

    public void Cancel() => _cancel.Cancel();

    /// <summary>
    /// Ctrl+C, or the call's one deadline (-TimeoutSec, from the first ARM request of the call): retries, Retry-After
    /// waits, long-running-operation polls and paging all end with it.
    /// </summary>
    private CancellationToken CallToken()
    {
        if (_deadline is null)
        {
            _deadline = CancellationTokenSource.CreateLinkedTokenSource(_cancel.Token);
            _deadline.CancelAfter(TimeSpan.FromSeconds(Connection.TimeoutSec));
        }

        return _deadline.Token;
    }

    /// <summary>The canonical policy id, from -PolicyId or from the subscription, the group and the name. Stops the cmdlet on bad input.</summary>
    public string? PolicyId(AksCloud cloud, string? policyId, string resourceGroupName, string name) =>
        ResolveId(cloud, policyId, (subscription) => ArmSession.ResolvePolicyId(policyId, subscription, resourceGroupName, name), "InvalidPolicyId", policyId ?? name);

    /// <summary>The canonical cluster id, from -ClusterResourceId or from the subscription, the group and the name.</summary>
    public string? ClusterId(AksCloud cloud, string? clusterId, string resourceGroupName, string name) =>
        ResolveId(cloud, clusterId, (subscription) => ArmSession.ResolveClusterId(clusterId, subscription, resourceGroupName, name), "InvalidClusterId", clusterId ?? name);

    /// <summary>The id of an Azure Firewall from the subscription, the group and its name (ARM's naming rules checked first).</summary>
    public string? FirewallId(AksCloud cloud, string resourceGroupName, string name) =>
        ResolveId(cloud, null, subscription =>
        {
            if ((ArmNames.ResourceGroupProblem(resourceGroupName) ?? ArmNames.FirewallProblem(name)) is { } problem)
            {
                throw new FormatException(problem);
            }

            return $"/subscriptions/{subscription}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/azureFirewalls/{name}";
        }, "InvalidFirewallName", name);

    /// <summary>The ARM store; the token crosses into the Azure assembly as a string, never as a credential object.</summary>
    public IFirewallPolicyStore Store(AksCloud cloud)
    {
        SayEndpoint(cloud);
        return ArmSession.OpenStore(cloud, Connection.ArmEndpoint, Token, Connection.TenantId);
    }

    /// <summary>
    /// Reads a managed cluster (read only), named by its id or by the subscription, group and name, and says with
    /// -Verbose where it read it and what each conclusion comes from; null when cancelled.
    /// </summary>
    public Requirements.ManagedClusterProfile? ReadCluster(AksCloud cloud, string? clusterId, string resourceGroupName, string name)
    {
        if (ClusterId(cloud, clusterId, resourceGroupName, name) is not { } id)
        {
            return null;
        }

        SayEndpoint(cloud);
        var token = Token;
        var profile = Run(ct => ArmSession.ReadClusterAsync(cloud, Connection.ArmEndpoint, token, Connection.TenantId, id, ct), "Reading the AKS cluster", id);
        foreach (var line in profile?.Evidence ?? [])
        {
            _cmdlet.WriteVerbose($"From the cluster: {line}");
        }

        return profile;
    }

    /// <summary>Which ARM endpoint and credential the call uses, said once with -Verbose.</summary>
    private void SayEndpoint(AksCloud cloud)
    {
        if (!_endpointSaid)
        {
            _endpointSaid = true;
            _cmdlet.WriteVerbose(ArmSession.Describe(cloud, Connection.ArmEndpoint, Connection.AccessToken is not null));
        }
    }

    /// <summary>Runs <paramref name="work"/>; null when cancelled. Failures stop the cmdlet with an ErrorRecord.</summary>
    public T? Run<T>(Func<CancellationToken, Task<T>> work, string status, object? target)
        where T : class
    {
        var token = CallToken();
        _current = status;
        var task = Task.Run(() => work(token));
        // Waits without Task.Wait, which would wrap a failure in an AggregateException.
        while (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(50))
        {
            Drain();
        }

        Drain();
        _cmdlet.WriteProgress(new ProgressRecord(1, _activity, status) { RecordType = ProgressRecordType.Completed });
        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception ex) when (_deadline!.IsCancellationRequested && ex is OperationCanceledException or FirewallApplyException { InnerException: OperationCanceledException })
        {
            _cmdlet.ThrowTerminatingError(ModuleErrors.Record(new TimeoutException(
                $"ARM did not finish within -TimeoutSec {Connection.TimeoutSec} s; the call stopped while: {_current.ToLowerInvariant()}. A write already sent may still complete in Azure: run the same command again to see the state (it writes only what differs), or give a larger -TimeoutSec.", ex),
                "ArmTimeout", target));
        }
        catch (FirewallApplyException ex)
        {
            _cmdlet.ThrowTerminatingError(ModuleErrors.Record(ex, ex.ErrorId, target));
        }

        return null;
    }

    /// <summary>An id given whole is only checked; otherwise the subscription is found first (said with -Verbose).</summary>
    private string? ResolveId(AksCloud cloud, string? whole, Func<string?, string> build, string invalidErrorId, object? target)
    {
        string? subscription = null;
        if (whole is null)
        {
            // The names are checked against ARM's rules before anything is sent, the subscription search included.
            try
            {
                build("00000000-0000-0000-0000-000000000000");
            }
            catch (FormatException ex)
            {
                _cmdlet.ThrowTerminatingError(ModuleErrors.Record(ex, invalidErrorId, target));
            }

            var azContext = AzContextSubscription();
            var token = Token;
            var choice = Run(ct => ArmSession.ResolveSubscriptionAsync(cloud, Connection.ArmEndpoint, token, Connection.TenantId, Connection.SubscriptionId, azContext, ct), "Finding the subscription", null);
            if (choice is null)
            {
                return null; // cancelled
            }

            _cmdlet.WriteVerbose($"Subscription {choice.Id}, from {choice.Source}.");
            subscription = choice.Id;
        }

        try
        {
            return build(subscription);
        }
        catch (FormatException ex)
        {
            _cmdlet.ThrowTerminatingError(ModuleErrors.Record(ex, invalidErrorId, target));
            return null; // not reached: ThrowTerminatingError throws
        }
    }

    /// <summary>The subscription of the Az PowerShell context, when Az.Accounts is loaded in this session (never loads it).</summary>
    private string? AzContextSubscription()
    {
        try
        {
            var result = _cmdlet.InvokeCommand.InvokeScript(
                "if (Get-Module -Name Az.Accounts) { $c = Az.Accounts\\Get-AzContext -ErrorAction Ignore; if ($c -and $c.Subscription) { [string] $c.Subscription.Id } }");
            return result.Count > 0 && result[0]?.BaseObject is string id && id.Length > 0 ? id : null;
        }
        catch (RuntimeException)
        {
            return null;
        }
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

    /// <summary>Each message as verbose, and as the progress status (a record each time: a host may keep the ones it was given).</summary>
    private void Drain()
    {
        while (_messages.TryDequeue(out var message))
        {
            _cmdlet.WriteVerbose(message);
            _cmdlet.WriteProgress(new ProgressRecord(1, _activity, message.Length > 100 ? message.Substring(0, 100) : message));
        }
    }
}
