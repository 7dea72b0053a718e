using System.Text.Json.Nodes;
using AksEgress.Catalog;
using AksEgress.Requirements;

namespace AksEgress.Core.Tests;

/// <summary>A managedCluster document (Microsoft.ContainerService, 2024-05-01 shape) to the options and features of its egress.</summary>
public class ManagedClusterProfileTests
{
    private static JsonNode Cluster(string properties, string location = "West Europe") =>
        JsonNode.Parse($$"""{ "name": "aks1", "location": "{{location}}", "properties": {{properties}} }""")!;

    [Fact]
    public void Node_pools_add_ons_and_profiles_become_features_with_their_evidence()
    {
        var profile = ManagedClusterProfile.FromArm(Cluster("""
            { "agentPoolProfiles": [ { "name": "system", "osType": "Linux", "vmSize": "Standard_D4ds_v5" },
                                     { "name": "win", "osType": "Windows", "vmSize": "Standard_D4ds_v5" },
                                     { "name": "gpu", "osType": "Linux", "vmSize": "Standard_NC24ads_A100_v4" } ],
              "addonProfiles": { "omsAgent": { "enabled": true }, "azurepolicy": { "enabled": true }, "azureKeyvaultSecretsProvider": { "enabled": false } },
              "securityProfile": { "defender": { "securityMonitoring": { "enabled": true } } },
              "metricsProfile": { "costAnalysis": { "enabled": true } },
              "apiServerAccessProfile": { "enablePrivateCluster": true } }
            """), [JsonNode.Parse("""{ "name": "flux" }""")!], ["10.0.0.4", "not-an-ip"]);

        Assert.Equal("westeurope", profile.Location);
        Assert.True(profile.PrivateCluster);
        Assert.Equal(
            [AksFeature.Windows, AksFeature.Gpu, AksFeature.AzureMonitor, AksFeature.AzurePolicy, AksFeature.Defender, AksFeature.CostAnalysis, AksFeature.ClusterExtensions],
            profile.Features);
        Assert.Equal(["10.0.0.4"], profile.DnsServers.Select(d => d.ToString()));
        Assert.Contains("Gpu: node pool gpu has the GPU size Standard_NC24ads_A100_v4", profile.Evidence);
        Assert.DoesNotContain(AksFeature.CsiSecretStore, profile.Features); // the add-on is present but disabled
    }

    [Fact]
    public void A_plain_cluster_has_no_feature_and_managed_prometheus_counts_as_azure_monitor()
    {
        Assert.Empty(ManagedClusterProfile.FromArm(Cluster("""{ "agentPoolProfiles": [ { "name": "p", "osType": "Linux", "vmSize": "Standard_D2s_v5" } ] }"""), [], []).Features);
        Assert.Equal([AksFeature.AzureMonitor], ManagedClusterProfile.FromArm(Cluster("""{ "azureMonitorProfile": { "metrics": { "enabled": true } } }"""), [], []).Features);
    }

    // ARM's managedCluster: serviceMeshProfile.mode "Istio" for the Istio add-on, ingressProfile.webAppRouting.enabled for
    // the application routing add-on; outboundType and the pools' subnets for the egress path.
    [Fact]
    public void The_istio_and_application_routing_add_ons_and_the_egress_path_are_read()
    {
        var profile = ManagedClusterProfile.FromArm(Cluster("""
            { "serviceMeshProfile": { "mode": "Istio" }, "ingressProfile": { "webAppRouting": { "enabled": true } },
              "networkProfile": { "outboundType": "userDefinedRouting" },
              "agentPoolProfiles": [ { "name": "a", "vnetSubnetID": "/s/n1", "podSubnetID": "/s/p1" }, { "name": "b", "vnetSubnetID": "/s/n1" } ] }
            """), [], []);
        Assert.Equal([AksFeature.Istio, AksFeature.ApplicationRouting], profile.Features);
        Assert.Equal("userDefinedRouting", profile.OutboundType);
        Assert.Equal(["/s/n1"], profile.NodeSubnetIds);
        Assert.Equal(["/s/p1"], profile.PodSubnetIds);
        Assert.Empty(ManagedClusterProfile.FromArm(Cluster("""{ "serviceMeshProfile": { "mode": "Disabled" }, "ingressProfile": { "webAppRouting": { "enabled": false } } }"""), [], []).Features);
        Assert.Equal("loadBalancer", ManagedClusterProfile.FromArm(Cluster("{}"), [], []).OutboundType); // ARM's default
    }

    [Fact]
    public void The_node_subnet_leads_to_the_virtual_network_and_a_cluster_without_properties_is_refused()
    {
        Assert.Equal("/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v/subnets/aks",
            ManagedClusterProfile.NodeSubnetId(Cluster("""{ "agentPoolProfiles": [ { "name": "p", "vnetSubnetID": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v/subnets/aks" } ] }""")));
        Assert.Throws<InvalidOperationException>(() => ManagedClusterProfile.FromArm(JsonNode.Parse("""{ "name": "x" }""")!, [], []));
    }
}
