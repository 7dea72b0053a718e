using System.Text.Json.Nodes;
using global::Azure.Core;
using AksEgress.Requirements;

namespace AksEgress.Azure;

/// <summary>Reads what a cluster's egress depends on: the managedCluster, its extensions, and its virtual network's DNS servers.</summary>
internal sealed class ManagedClusterReader
{
    public const string ClusterApiVersion = "2024-05-01";
    public const string ExtensionsApiVersion = "2023-05-01";
    public const string NetworkApiVersion = "2024-05-01";
    private static readonly ResourceType ClusterType = new("Microsoft.ContainerService/managedClusters");

    private static readonly TimeSpan LookupTimeout = TimeSpan.FromSeconds(3);
    private readonly ArmPipeline _arm;
    private readonly Func<string, Task<System.Net.IPAddress[]>> _resolve;

    /// <param name="resolve">Name resolution for the API server's FQDN (DNS by default; tests give their own).</param>
    public ManagedClusterReader(ArmConnectionOptions options, Func<string, Task<System.Net.IPAddress[]>>? resolve = null)
    {
        _arm = new ArmPipeline(options);
        _resolve = resolve ?? System.Net.Dns.GetHostAddressesAsync;
    }

    /// <summary>Checks that <paramref name="id"/> names a managed cluster; throws FormatException saying what is valid.</summary>
    public static ResourceIdentifier ParseClusterId(string id)
    {
        ResourceIdentifier? parsed = null;
        try
        {
            parsed = ResourceIdentifier.Parse(id);
        }
        catch (FormatException)
        {
        }

        if (parsed is null || parsed.ResourceType != ClusterType || parsed.ResourceGroupName is null || parsed.Parent?.ResourceType != "Microsoft.Resources/resourceGroups")
        {
            throw new FormatException($"'{id}' is not the resource id of an AKS cluster: /subscriptions/<subscription id>/resourceGroups/<group>/providers/Microsoft.ContainerService/managedClusters/<name>.");
        }

        // ARM's naming rules, before any request: a name never carries a query string or a path into the URL.
        if ((ArmNames.SubscriptionProblem(parsed.SubscriptionId) ?? ArmNames.ResourceGroupProblem(parsed.ResourceGroupName) ?? ArmNames.ClusterProblem(parsed.Name)) is { } problem)
        {
            throw new FormatException(problem);
        }

        return parsed;
    }

    /// <summary>The API server's public address by DNS, bounded in time; a name that does not resolve is said, not fatal.</summary>
    private async Task<ManagedClusterProfile> WithApiServerAddressAsync(ManagedClusterProfile profile)
    {
        if (profile.ApiServerFqdn is not { } fqdn)
        {
            return profile;
        }

        try
        {
            var lookup = _resolve(fqdn);
            if (await Task.WhenAny(lookup, Task.Delay(LookupTimeout)).ConfigureAwait(false) == lookup
                && (await lookup.ConfigureAwait(false)).FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) is { } address)
            {
                return profile with { ApiServerAddress = address, Evidence = [.. profile.Evidence, $"API server address {address}: DNS of {fqdn}"] };
            }
        }
        catch (System.Net.Sockets.SocketException)
        {
        }

        return profile with { Evidence = [.. profile.Evidence, $"API server address: {fqdn} did not resolve from here; give -ApiServerAddress to target it"] };
    }

    public async Task<ManagedClusterProfile> ReadAsync(string clusterId, CancellationToken cancellationToken)
    {
        var id = ParseClusterId(clusterId);
        try
        {
            var cluster = await _arm.GetAsync(id.ToString(), ClusterApiVersion, cancellationToken).ConfigureAwait(false)
                ?? throw new FirewallApplyException("ClusterNotFound", FailureKind.NotFound, $"AKS cluster {id.Name} does not exist in resource group {id.ResourceGroupName} (or is in another cloud: check -Cloud).");
            var state = cluster["properties"]?["provisioningState"]?.GetValue<string>();
            if (cluster["properties"] is null || string.Equals(state, "Deleting", StringComparison.OrdinalIgnoreCase))
            {
                throw new FirewallApplyException("ClusterStateUnreadable", FailureKind.InvalidOperation, $"AKS cluster {id.Name} cannot be read now (provisioning state '{state ?? "unknown"}').");
            }

            var extensions = await _arm.GetAsync($"{id}/providers/Microsoft.KubernetesConfiguration/extensions", ExtensionsApiVersion, cancellationToken).ConfigureAwait(false);
            var dnsServers = new List<string>();
            if (ManagedClusterProfile.NodeSubnetId(cluster) is { } subnet && subnet.IndexOf("/subnets/", StringComparison.OrdinalIgnoreCase) is var cut and > 0)
            {
                var network = await _arm.GetAsync(subnet.Substring(0, cut), NetworkApiVersion, cancellationToken).ConfigureAwait(false);
                dnsServers.AddRange((network?["properties"]?["dhcpOptions"]?["dnsServers"] as JsonArray ?? []).Select(s => s!.GetValue<string>()));
            }

            var profile = ManagedClusterProfile.FromArm(cluster, (extensions?["value"] as JsonArray ?? []).Where(e => e is not null).Select(e => e!), dnsServers) with { ResourceId = id.ToString() };
            return await WithApiServerAddressAsync(profile).ConfigureAwait(false);
        }
        catch (Exception ex) when (ArmErrors.IsArmFailure(ex))
        {
            throw ArmErrors.Translate(ex);
        }
    }
}
