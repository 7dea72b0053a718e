using AksEgress.Catalog;
using AksEgress.Requirements;

namespace AksEgress.Azure;

/// <summary>
/// What callers outside this assembly (the cmdlets) need to reach ARM, in plain types only: they may run where another
/// Azure.Core is loaded (Az.Accounts), so no Azure SDK type crosses this boundary; a token crosses as a string.
/// </summary>
public static class ArmSession
{
    /// <summary>The canonical firewall policy id; throws FormatException saying what is valid, or ArgumentException when no subscription is known.</summary>
    public static string ResolvePolicyId(string? policyId, string? subscriptionId, string resourceGroupName, string name)
    {
        if (policyId is not null)
        {
            return ArmFirewallPolicyStore.ParsePolicyId(policyId).ToString();
        }

        return ArmFirewallPolicyStore.PolicyId(Subscription(subscriptionId, "firewall policy", "-PolicyId"), resourceGroupName, name).ToString();
    }

    /// <summary>A store that signs in with <paramref name="accessToken"/>, or with DefaultAzureCredential (managed identity, Azure CLI, Azure PowerShell, environment).</summary>
    public static IFirewallPolicyStore OpenStore(AksCloud cloud, Uri? endpoint, string? accessToken, string? tenantId) =>
        new ArmFirewallPolicyStore(Options(cloud, endpoint, accessToken, tenantId));

    /// <summary>Reads an AKS cluster's egress profile (read only); throws FormatException for a malformed id, FirewallApplyException otherwise.</summary>
    public static Task<ManagedClusterProfile> ReadClusterAsync(AksCloud cloud, Uri? endpoint, string? accessToken, string? tenantId, string clusterId, CancellationToken cancellationToken) =>
        new ManagedClusterReader(Options(cloud, endpoint, accessToken, tenantId)).ReadAsync(clusterId, cancellationToken);

    /// <summary>The canonical cluster id from -ClusterResourceId, or from -SubscriptionId, -ResourceGroupName and -ClusterName.</summary>
    public static string ResolveClusterId(string? clusterId, string? subscriptionId, string resourceGroupName, string name)
    {
        if (clusterId is not null)
        {
            return ManagedClusterReader.ParseClusterId(clusterId).ToString();
        }

        var subscription = Subscription(subscriptionId, "cluster", "-ClusterResourceId");
        return ManagedClusterReader.ParseClusterId($"/subscriptions/{subscription}/resourceGroups/{resourceGroupName}/providers/Microsoft.ContainerService/managedClusters/{name}").ToString();
    }

    /// <summary>-SubscriptionId, else AZURE_SUBSCRIPTION_ID; an ArgumentException naming what to give when neither is set.</summary>
    private static string Subscription(string? subscriptionId, string resource, string idParameter)
    {
        var subscription = subscriptionId ?? Environment.GetEnvironmentVariable("AZURE_SUBSCRIPTION_ID");
        return string.IsNullOrEmpty(subscription)
            ? throw new ArgumentException($"Give the subscription of the {resource} with -SubscriptionId (or set AZURE_SUBSCRIPTION_ID), or give the whole {idParameter}.")
            : subscription!;
    }

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
