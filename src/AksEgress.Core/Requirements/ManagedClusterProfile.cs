using System.Net;
using System.Text.Json.Nodes;
using AksEgress.Catalog;

namespace AksEgress.Requirements;

/// <summary>
/// What a Microsoft.ContainerService/managedClusters resource says about its egress: region, private API server, the
/// add-ons and node pools that need rules of their own, and the custom DNS servers of its virtual network. Each
/// conclusion keeps the field it was read from (<see cref="Evidence"/>).
/// </summary>
public sealed record ManagedClusterProfile(
    string Name, string Location, bool PrivateCluster, IReadOnlyList<AksFeature> Features, IReadOnlyList<IPAddress> DnsServers, IReadOnlyList<string> Evidence)
{
    /// <summary>The public FQDN of the API server (properties.fqdn); its address is not part of the resource.</summary>
    public string? ApiServerFqdn { get; init; }

    /// <summary>The API server's public address, when the adapter could resolve <see cref="ApiServerFqdn"/>.</summary>
    public IPAddress? ApiServerAddress { get; init; }

    /// <summary>The cluster is network isolated (networkProfile.outboundType none or block).</summary>
    public bool NetworkIsolated { get; init; }

    /// <summary>networkProfile.outboundType as ARM gives it (loadBalancer when absent, ARM's default).</summary>
    public string OutboundType { get; init; } = "loadBalancer";

    /// <summary>The resource id of the cluster (for findings about its egress path).</summary>
    public string? ResourceId { get; init; }

    /// <summary>The subnets of its node pools (vnetSubnetID); empty for an AKS-managed virtual network.</summary>
    public IReadOnlyList<string> NodeSubnetIds { get; init; } = [];

    /// <summary>The pod subnets of its node pools (podSubnetID), whose addresses pods send from.</summary>
    public IReadOnlyList<string> PodSubnetIds { get; init; } = [];

    /// <param name="cluster">The managedCluster resource as ARM returns it.</param>
    /// <param name="extensions">Its cluster extensions (Microsoft.KubernetesConfiguration/extensions).</param>
    /// <param name="dnsServers">dhcpOptions.dnsServers of the virtual network of its node pools (empty: Azure DNS).</param>
    public static ManagedClusterProfile FromArm(JsonNode cluster, IEnumerable<JsonNode> extensions, IEnumerable<string> dnsServers)
    {
        var properties = cluster["properties"] ?? throw new InvalidOperationException("The managed cluster has no properties: it cannot be read.");
        var evidence = new List<string>();
        var features = new List<AksFeature>();
        void Feature(AksFeature feature, string why)
        {
            if (!features.Contains(feature))
            {
                features.Add(feature);
            }

            evidence.Add($"{feature}: {why}");
        }

        var isPrivate = Bool(properties["apiServerAccessProfile"]?["enablePrivateCluster"]);
        if (isPrivate)
        {
            evidence.Add("private cluster: properties.apiServerAccessProfile.enablePrivateCluster");
        }

        foreach (var pool in properties["agentPoolProfiles"] as JsonArray ?? [])
        {
            var name = pool?["name"]?.GetValue<string>() ?? "?";
            if (string.Equals(pool?["osType"]?.GetValue<string>(), "Windows", StringComparison.OrdinalIgnoreCase))
            {
                Feature(AksFeature.Windows, $"node pool {name} has osType Windows");
            }

            // GPU sizes are the N series: Standard_NC..., Standard_ND..., Standard_NV...
            if (pool?["vmSize"]?.GetValue<string>() is { } size && size.StartsWith("Standard_N", StringComparison.OrdinalIgnoreCase))
            {
                Feature(AksFeature.Gpu, $"node pool {name} has the GPU size {size}");
            }
        }

        var addons = properties["addonProfiles"] as JsonObject;
        bool Addon(string key) => addons?.FirstOrDefault(a => string.Equals(a.Key, key, StringComparison.OrdinalIgnoreCase)).Value?["enabled"] is { } enabled && Bool(enabled);
        if (Addon("omsagent") || Addon("omsAgent"))
        {
            Feature(AksFeature.AzureMonitor, "add-on omsagent (Container insights) is enabled");
        }

        if (Bool(properties["azureMonitorProfile"]?["metrics"]?["enabled"]))
        {
            Feature(AksFeature.AzureMonitor, "properties.azureMonitorProfile.metrics (managed Prometheus) is enabled");
        }

        if (Addon("azurepolicy"))
        {
            Feature(AksFeature.AzurePolicy, "add-on azurepolicy is enabled");
        }

        if (Addon("azureKeyvaultSecretsProvider"))
        {
            Feature(AksFeature.CsiSecretStore, "add-on azureKeyvaultSecretsProvider is enabled");
        }

        if (Bool(properties["securityProfile"]?["defender"]?["securityMonitoring"]?["enabled"]))
        {
            Feature(AksFeature.Defender, "properties.securityProfile.defender.securityMonitoring is enabled");
        }

        if (Bool(properties["metricsProfile"]?["costAnalysis"]?["enabled"]))
        {
            Feature(AksFeature.CostAnalysis, "properties.metricsProfile.costAnalysis is enabled");
        }

        var extensionNames = extensions.Select(e => e["name"]?.GetValue<string>()).Where(n => n is not null).ToList();
        if (extensionNames.Count > 0)
        {
            Feature(AksFeature.ClusterExtensions, $"cluster extensions installed: {string.Join(", ", extensionNames)}");
        }

        var dns = dnsServers.Select(s => IPAddress.TryParse(s, out var ip) ? ip : null).Where(ip => ip is not null).Select(ip => ip!).ToList();
        if (dns.Count > 0)
        {
            evidence.Add($"custom DNS servers of the virtual network: {string.Join(", ", dns)}");
        }

        if (Bool(properties["securityProfile"]?["workloadIdentity"]?["enabled"]))
        {
            Feature(AksFeature.WorkloadIdentity, "properties.securityProfile.workloadIdentity.enabled");
        }

        if (string.Equals(properties["serviceMeshProfile"]?["mode"].StringValue(), "Istio", StringComparison.OrdinalIgnoreCase))
        {
            Feature(AksFeature.Istio, "properties.serviceMeshProfile.mode is Istio");
        }

        if (Bool(properties["ingressProfile"]?["webAppRouting"]?["enabled"]))
        {
            Feature(AksFeature.ApplicationRouting, "properties.ingressProfile.webAppRouting.enabled");
        }

        // A network isolated cluster (outbound type none or block) pulls its images through a private ACR cache.
        var outboundType = properties["networkProfile"]?["outboundType"]?.GetValue<string>();
        var isolated = string.Equals(outboundType, "none", StringComparison.OrdinalIgnoreCase) || string.Equals(outboundType, "block", StringComparison.OrdinalIgnoreCase);
        if (isolated)
        {
            evidence.Add($"network isolated: properties.networkProfile.outboundType is {outboundType}");
        }

        return new ManagedClusterProfile(
            cluster["name"]?.GetValue<string>() ?? "", LocationResolver.Normalize(cluster["location"]?.GetValue<string>() ?? ""),
            isPrivate, features, dns, evidence)
        {
            ApiServerFqdn = isPrivate ? null : properties["fqdn"]?.GetValue<string>(),
            NetworkIsolated = isolated,
            OutboundType = string.IsNullOrEmpty(outboundType) ? "loadBalancer" : outboundType!,
            ResourceId = cluster["id"]?.GetValue<string>(),
            NodeSubnetIds = PoolSubnets(cluster, "vnetSubnetID"),
            PodSubnetIds = PoolSubnets(cluster, "podSubnetID"),
        };
    }

    /// <summary>The subnet the node pools use, whose virtual network holds the custom DNS servers; null for a managed network.</summary>
    public static string? NodeSubnetId(JsonNode cluster) => PoolSubnets(cluster, "vnetSubnetID").FirstOrDefault();

    /// <summary>The distinct subnet ids a field of the node pools names (vnetSubnetID or podSubnetID), in pool order.</summary>
    private static List<string> PoolSubnets(JsonNode cluster, string field) =>
        (cluster["properties"]?["agentPoolProfiles"] as JsonArray ?? []).Select(p => p?[field].StringValue())
            .Where(id => !string.IsNullOrEmpty(id)).Select(id => id!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    private static bool Bool(JsonNode? node) =>
        node is JsonValue value && ((value.TryGetValue<bool>(out var b) && b) || (value.TryGetValue<string>(out var s) && bool.TryParse(s, out var parsed) && parsed));
}
