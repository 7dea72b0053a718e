using System.ClientModel.Primitives;
using System.Text.Json.Nodes;
using global::Azure;
using global::Azure.Core;
using global::Azure.Core.Pipeline;
using global::Azure.ResourceManager;

namespace AksEgress.Azure;

/// <summary>
/// <see cref="IFirewallPolicyStore"/> over ARM REST (Microsoft.Network 2024-05-01), sent through the pipeline of an
/// <see cref="ArmClient"/>: its credential, retries (plus ARM's 409 AnotherOperationInProgress), logging and endpoint.
/// Long-running operations are polled by Azure.Core (<see cref="Operation.Rehydrate(HttpPipeline, RehydrationToken, ClientOptions)"/>).
/// It only moves JSON: every decision is the applier's (Core). ARM's failures leave it as the module's: a 412 as
/// <see cref="FirewallPreconditionFailedException"/>, the rest as <see cref="FirewallApplyException"/>.
/// </summary>
public sealed class ArmFirewallPolicyStore : IFirewallPolicyStore
{
    public const string ApiVersion = RuleCollectionGroupJson.ApiVersion;
    private readonly ArmPipeline _arm;

    public ArmFirewallPolicyStore(ArmConnectionOptions options) => _arm = new ArmPipeline(options);

    public Task<FirewallPolicyInfo?> GetPolicyAsync(FirewallPolicyId policyId, CancellationToken cancellationToken) =>
        Translated(() => GetPolicyAsyncCore(policyId, cancellationToken));

    private async Task<FirewallPolicyInfo?> GetPolicyAsyncCore(FirewallPolicyId policyId, CancellationToken cancellationToken)
    {
        var response = await _arm.SendAsync(RequestMethod.Get, policyId.ToString(), ApiVersion, null, null, cancellationToken).ConfigureAwait(false);
        if (response.Status == 404 && ArmPipeline.ErrorCode(response) is not "ResourceGroupNotFound" and not "SubscriptionNotFound")
        {
            return null;
        }

        return ToPolicy(policyId, ArmPipeline.Ensure(response));
    }

    public Task<FirewallPolicyInfo> PutPolicyAsync(FirewallPolicyId policyId, JsonObject policy, string? ifMatch, CancellationToken cancellationToken) =>
        Translated(() => PutPolicyAsyncCore(policyId, policy, ifMatch, cancellationToken));

    private async Task<FirewallPolicyInfo> PutPolicyAsyncCore(FirewallPolicyId policyId, JsonObject policy, string? ifMatch, CancellationToken cancellationToken)
    {
        var response = ArmPipeline.Ensure(await _arm.SendAsync(RequestMethod.Put, policyId.ToString(), ApiVersion, policy, ifMatch, cancellationToken).ConfigureAwait(false));
        await WaitAsync(response, policyId.ToString(), cancellationToken).ConfigureAwait(false);
        return await GetPolicyAsync(policyId, cancellationToken).ConfigureAwait(false)
            ?? throw new RequestFailedException(404, $"Firewall policy {policyId} is missing right after it was written.");
    }

    public Task<IReadOnlyList<StoredRuleCollectionGroup>> ListGroupsAsync(FirewallPolicyId policyId, CancellationToken cancellationToken) =>
        Translated(() => ListGroupsAsyncCore(policyId, cancellationToken));

    private async Task<IReadOnlyList<StoredRuleCollectionGroup>> ListGroupsAsyncCore(FirewallPolicyId policyId, CancellationToken cancellationToken)
    {
        var groups = new List<StoredRuleCollectionGroup>();
        string? next = policyId + "/ruleCollectionGroups";
        var pages = new HashSet<string>(StringComparer.Ordinal);
        while (next is not null)
        {
            ArmPipeline.NextPage(pages, next);
            var page = ArmPipeline.Ensure(await _arm.SendAsync(RequestMethod.Get, next, ApiVersion, null, null, cancellationToken).ConfigureAwait(false));
            var body = JsonNode.Parse(page.Content.ToString())!;
            groups.AddRange((body["value"] as JsonArray ?? []).Where(g => g is not null).Select(g => ToGroup(g!)));
            next = body["nextLink"]?.GetValue<string>();
        }

        return groups;
    }

    public Task<StoredRuleCollectionGroup> PutGroupAsync(FirewallPolicyId policyId, FirewallRuleCollectionGroup group, string? ifMatch, CancellationToken cancellationToken) =>
        Translated(() => PutGroupAsyncCore(policyId, group, ifMatch, cancellationToken));

    private async Task<StoredRuleCollectionGroup> PutGroupAsyncCore(FirewallPolicyId policyId, FirewallRuleCollectionGroup group, string? ifMatch, CancellationToken cancellationToken)
    {
        var path = $"{policyId}/ruleCollectionGroups/{group.Name}";
        var response = ArmPipeline.Ensure(await _arm.SendAsync(RequestMethod.Put, path, ApiVersion, RuleCollectionGroupJson.ToRequestBody(group), ifMatch, cancellationToken).ConfigureAwait(false));
        await WaitAsync(response, path, cancellationToken).ConfigureAwait(false);
        var readBack = await _arm.SendAsync(RequestMethod.Get, path, ApiVersion, null, null, cancellationToken).ConfigureAwait(false);
        if (readBack.Status == 404)
        {
            throw new FirewallApplyException("WriteNotApplied", FailureKind.Failed,
                $"ARM accepted the write of rule collection group {group.Name}, but reading it back finds no such group. Run the command again; if it persists, look for an Azure Policy assignment (deny effects) or a lock on the firewall policy.");
        }

        var stored = ArmPipeline.Ensure(readBack);
        var result = ToGroup(JsonNode.Parse(stored.Content.ToString())!);
        if (!string.Equals(result.ProvisioningState, "Succeeded", StringComparison.OrdinalIgnoreCase))
        {
            throw new RequestFailedException(stored.Status, $"Rule collection group {group.Name} ended in provisioning state '{result.ProvisioningState}', not Succeeded.", "ProvisioningStateNotSucceeded", null);
        }

        return result;
    }

    private static readonly System.Text.RegularExpressions.Regex NetworkResourceId = new(
        @"^/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[-\w.()]{1,90}/providers/Microsoft\.Network(/[A-Za-z]{1,40}/[-\w.]{1,80}){1,2}$",
        System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    public Task<JsonObject?> GetNetworkResourceAsync(string resourceId, CancellationToken cancellationToken) =>
        Translated(async () =>
        {
            // The id is checked to be a network resource's before it goes into a URL: never a query string or another provider.
            if (!NetworkResourceId.IsMatch(resourceId))
            {
                throw new FirewallApplyException("InvalidResourceId", FailureKind.InvalidData,
                    $"'{resourceId}' is not the id of a Microsoft.Network resource: /subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Network/<type>/<name>.");
            }

            return (await _arm.GetAsync(resourceId, ApiVersion, cancellationToken).ConfigureAwait(false)) as JsonObject;
        });

    /// <summary>ARM's failures in the module's terms: 412 means another writer came first; the rest carry an ErrorId.</summary>
    private static async Task<T> Translated<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            throw new FirewallPreconditionFailedException(ex.Message, ex);
        }
        catch (Exception ex) when (ArmErrors.IsArmFailure(ex))
        {
            throw ArmErrors.Translate(ex);
        }
    }

    /// <summary>Polls a PUT's long-running operation to its end through Azure.Core; a Failed operation throws with ARM's message.</summary>
    private async Task WaitAsync(Response response, string path, CancellationToken cancellationToken)
    {
        var (source, next) = response.Headers.TryGetValue("Azure-AsyncOperation", out var asyncOperation) ? ("AzureAsyncOperation", asyncOperation)
            : response.Headers.TryGetValue("Location", out var location) ? ("Location", location)
            : (null, null);
        if (source is null)
        {
            return;
        }

        var token = new JsonObject
        {
            ["id"] = null, ["version"] = "1.0.0", ["headerSource"] = source, ["nextRequestUri"] = next,
            ["initialUri"] = _arm.Url(path, ApiVersion).ToString(), ["requestMethod"] = "PUT", ["lastKnownLocation"] = null, ["finalStateVia"] = "AzureAsyncOperation",
        };
        var operation = Operation.Rehydrate(_arm.Pipeline, ModelReaderWriter.Read<RehydrationToken>(BinaryData.FromString(token.ToJsonString())));
        await operation.WaitForCompletionResponseAsync(_arm.PollInterval, cancellationToken).ConfigureAwait(false);
    }

    private static FirewallPolicyInfo ToPolicy(FirewallPolicyId id, Response response)
    {
        var resource = JsonNode.Parse(response.Content.ToString())!.AsObject();
        return new FirewallPolicyInfo(
            id,
            resource["location"]?.GetValue<string>() ?? "",
            resource["etag"]?.GetValue<string>() ?? (response.Headers.ETag?.ToString()),
            resource["properties"]?["dnsSettings"]?["enableProxy"]?.GetValue<bool>() ?? false,
            resource);
    }

    private static StoredRuleCollectionGroup ToGroup(JsonNode resource) => new(
        RuleCollectionGroupJson.Parse(resource),
        resource["etag"]?.GetValue<string>(),
        resource["properties"]?["provisioningState"]?.GetValue<string>());
}
