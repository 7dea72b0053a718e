using AksEgress.Catalog;
using AksEgress.Requirements;

namespace AksEgress.Azure;

/// <summary>
/// What callers outside this assembly (the cmdlets) need to reach ARM, in plain types only: they may run where another
/// Azure.Core is loaded (Az.Accounts), so no Azure SDK type crosses this boundary; a token crosses as a string.
/// </summary>
public static class ArmSession
{
    /// <summary>The canonical firewall policy id from -PolicyId, or from the subscription, -ResourceGroupName and -Name; throws FormatException saying what is valid.</summary>
    public static string ResolvePolicyId(string? policyId, string? subscriptionId, string resourceGroupName, string name) =>
        policyId is not null
            ? FirewallPolicyId.Parse(policyId).ToString()
            : FirewallPolicyId.Create(subscriptionId!, resourceGroupName, name).ToString();

    /// <summary>The subscription to work in (see <see cref="SubscriptionResolver"/>); FirewallApplyException SubscriptionRequired when none is found.</summary>
    public static Task<SubscriptionChoice> ResolveSubscriptionAsync(
        AksCloud cloud, Uri? endpoint, string? accessToken, string? tenantId, string? subscriptionId, string? azContextSubscriptionId, CancellationToken cancellationToken) =>
        SubscriptionResolver.ResolveAsync(subscriptionId, azContextSubscriptionId, async ct =>
        {
            try
            {
                return await SubscriptionResolver.ListAsync(new ArmPipeline(Options(cloud, endpoint, accessToken, tenantId)), ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ArmErrors.IsArmFailure(ex))
            {
                throw ArmErrors.Translate(ex);
            }
        }, cancellationToken);

    /// <summary>A store that signs in with <paramref name="accessToken"/>, or with DefaultAzureCredential (managed identity, Azure CLI, Azure PowerShell, environment).</summary>
    public static IFirewallPolicyStore OpenStore(AksCloud cloud, Uri? endpoint, string? accessToken, string? tenantId) =>
        new ArmFirewallPolicyStore(Options(cloud, endpoint, accessToken, tenantId));

    /// <summary>Reads an AKS cluster's egress profile (read only); throws FormatException for a malformed id, FirewallApplyException otherwise.</summary>
    public static Task<ManagedClusterProfile> ReadClusterAsync(AksCloud cloud, Uri? endpoint, string? accessToken, string? tenantId, string clusterId, CancellationToken cancellationToken) =>
        new ManagedClusterReader(Options(cloud, endpoint, accessToken, tenantId)).ReadAsync(clusterId, cancellationToken);

    /// <summary>The canonical cluster id from -ClusterResourceId, or from the subscription, -ResourceGroupName and -ClusterName.</summary>
    public static string ResolveClusterId(string? clusterId, string? subscriptionId, string resourceGroupName, string name) =>
        ManagedClusterReader.ParseClusterId(clusterId
            ?? $"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.ContainerService/managedClusters/{name}").ToString();

    private static ArmConnectionOptions Options(AksCloud cloud, Uri? endpoint, string? accessToken, string? tenantId) => new()
    {
        Cloud = cloud,
        Endpoint = endpoint,
        Credential = accessToken is not null
            ? new AccessTokenCredential(accessToken)
            : new global::Azure.Identity.DefaultAzureCredential(new global::Azure.Identity.DefaultAzureCredentialOptions { AuthorityHost = AzureClouds.AuthorityHost(cloud), TenantId = tenantId }),
    };

    public static string Describe(AksCloud cloud, Uri? endpoint, bool withToken) =>
        $"ARM endpoint {endpoint?.ToString() ?? AzureClouds.Environment(cloud).Endpoint.ToString()} ({cloud}); {(withToken ? "the given access token" : "DefaultAzureCredential")}.";
}
