using System.Text.Json.Nodes;
using AksEgress.Catalog;
using AksEgress.Emulation;
using static AksEgress.Azure.Tests.TestArm;

namespace AksEgress.Azure.Tests;

public class ClusterReaderTests
{
    private static readonly string ClusterId = $"/subscriptions/{Subscription}/resourceGroups/{ResourceGroup}/providers/Microsoft.ContainerService/managedClusters/aks1";

    private static ManagedClusterReader Reader(ArmEmulator arm, Func<string, Task<System.Net.IPAddress[]>>? resolve = null) => new(new ArmConnectionOptions
    {
        Endpoint = arm.Endpoint,
        Credential = new AccessTokenCredential("test-token"),
        Transport = new global::Azure.Core.Pipeline.HttpClientTransport(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, c, _, _) => c?.Thumbprint == arm.Certificate.Thumbprint }),
        MaxRetries = 0,
    }, resolve ?? (_ => Task.FromException<System.Net.IPAddress[]>(new System.Net.Sockets.SocketException(11001))));

    [Fact]
    public async Task The_api_server_address_is_resolved_from_the_clusters_fqdn_when_possible()
    {
        await using var arm = await StartWithPolicyAsync();
        arm.SeedCluster(Subscription, ResourceGroup, "aks1");
        var asked = new List<string>();
        var resolved = await Reader(arm, name => { asked.Add(name); return Task.FromResult(new[] { System.Net.IPAddress.Parse("20.50.1.10") }); }).ReadAsync(ClusterId, CancellationToken.None);
        Assert.Equal(["aks1-dns-1a2b3c.hcp.westeurope.azmk8s.io"], asked);
        Assert.Equal("20.50.1.10", resolved.ApiServerAddress?.ToString());

        var unresolved = await Reader(arm).ReadAsync(ClusterId, CancellationToken.None);
        Assert.Null(unresolved.ApiServerAddress);
        Assert.Contains(unresolved.Evidence, e => e.Contains("did not resolve") && e.Contains("-ApiServerAddress"));
    }

    [Fact]
    public async Task The_cluster_its_extensions_and_its_network_are_read_with_their_api_versions_and_nothing_is_written()
    {
        await using var arm = await StartWithPolicyAsync();
        arm.SeedCluster(Subscription, ResourceGroup, "aks1");
        var profile = await Reader(arm).ReadAsync(ClusterId, CancellationToken.None);

        Assert.Equal(("aks1", "westeurope", false), (profile.Name, profile.Location, profile.PrivateCluster));
        Assert.Equal([AksFeature.Windows, AksFeature.Gpu, AksFeature.AzureMonitor, AksFeature.ClusterExtensions], profile.Features);
        Assert.Equal(["10.0.0.4"], profile.DnsServers.Select(d => d.ToString()));
        Assert.Equal(
            [
                $"GET {ClusterId}?api-version=2024-05-01",
                $"GET {ClusterId}/providers/Microsoft.KubernetesConfiguration/extensions?api-version=2023-05-01",
                $"GET /subscriptions/{Subscription}/resourceGroups/{ResourceGroup}/providers/Microsoft.Network/virtualNetworks/vnet-spoke?api-version=2024-05-01",
            ],
            arm.Requests.Select(r => r.ToString()));
        Assert.All(arm.Requests, r => Assert.Equal("Bearer test-token", r.Header("Authorization")));
    }

    [Fact]
    public async Task A_missing_cluster_and_a_cluster_being_deleted_are_named()
    {
        await using var arm = await StartWithPolicyAsync();
        Assert.Equal("ClusterNotFound", (await Assert.ThrowsAsync<FirewallApplyException>(() => Reader(arm).ReadAsync(ClusterId, CancellationToken.None))).ErrorId);
        arm.Seed(ClusterId, JsonNode.Parse("""{ "location": "westeurope", "properties": { "provisioningState": "Deleting" } }""")!.AsObject());
        Assert.Equal("ClusterStateUnreadable", (await Assert.ThrowsAsync<FirewallApplyException>(() => Reader(arm).ReadAsync(ClusterId, CancellationToken.None))).ErrorId);
    }

    [Fact]
    public void A_malformed_cluster_id_says_what_is_valid() =>
        Assert.Contains("Microsoft.ContainerService/managedClusters", Assert.Throws<FormatException>(() => ManagedClusterReader.ParseClusterId("/subscriptions/x/aks1")).Message);
}
