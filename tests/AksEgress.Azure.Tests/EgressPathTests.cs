using System.Net;
using System.Text.Json.Nodes;
using AksEgress.Emulation;
using AksEgress.Firewall.Coverage;
using static AksEgress.Azure.Tests.TestArm;

namespace AksEgress.Azure.Tests;

/// <summary>
/// The cluster's egress path, as AKS's "Limit network traffic with Azure Firewall" procedure builds it: outbound type
/// userDefinedRouting, and a route table on the cluster's subnet whose route 0.0.0.0/0 has next hop type
/// VirtualAppliance and the firewall's private address. Each way it can be broken, read through the ARM emulator.
/// </summary>
public class EgressPathTests
{
    private static readonly string Rg = $"/subscriptions/{Subscription}/resourceGroups/{ResourceGroup}";
    private static readonly string ClusterId = $"{Rg}/providers/Microsoft.ContainerService/managedClusters/aks1";
    private static readonly string Subnet = $"{Rg}/providers/Microsoft.Network/virtualNetworks/vnet-spoke/subnets/aks";
    private static readonly string RouteTable = $"{Rg}/providers/Microsoft.Network/routeTables/rt-aks";
    private static readonly FirewallAddress[] HubFirewall = [new("fw-hub", IPAddress.Parse("10.0.1.4"))];

    private static async Task<(ArmEmulator Arm, Requirements.ManagedClusterProfile Cluster)> ClusterAsync(Action<JsonObject>? change = null)
    {
        var arm = await StartWithPolicyAsync();
        arm.SeedCluster(Subscription, ResourceGroup, "aks1");
        if (change is not null)
        {
            var cluster = arm.Get(ClusterId)!;
            change(cluster);
            arm.Seed(ClusterId, cluster);
        }

        var profile = Requirements.ManagedClusterProfile.FromArm(arm.Get(ClusterId)!, [], []);
        return (arm, profile);
    }

    private static Task<EgressPathResult> CheckAsync(ArmEmulator arm, Requirements.ManagedClusterProfile cluster, IReadOnlyList<FirewallAddress>? firewalls = null) =>
        EgressPathCheck.CheckAsync(cluster, firewalls ?? HubFirewall, Store(arm, maxRetries: 0), CancellationToken.None);

    private static void Route(ArmEmulator arm, string? prefix, string hopType, string? hop = null) =>
        arm.Seed(RouteTable, new JsonObject
        {
            ["properties"] = new JsonObject
            {
                ["routes"] = prefix is null ? new JsonArray() : new JsonArray(new JsonObject
                {
                    ["name"] = "default",
                    ["properties"] = new JsonObject { ["addressPrefix"] = prefix, ["nextHopType"] = hopType, ["nextHopIpAddress"] = hop },
                }),
            },
        });

    [Fact]
    public async Task A_cluster_routed_to_the_firewall_passes_and_its_subnet_is_the_source_read_only()
    {
        var (arm, cluster) = await ClusterAsync();
        await using var _ = arm;
        var result = await CheckAsync(arm, cluster);

        Assert.Empty(result.Findings);
        Assert.Equal(["10.240.0.0/22"], result.Sources);
        Assert.Contains("subnet aks: route table rt-aks sends 0.0.0.0/0 to 10.0.1.4, firewall fw-hub", result.Evidence);
        Assert.Empty(arm.Writes);
        Assert.Equal([$"GET {Subnet}?api-version=2024-05-01", $"GET {RouteTable}?api-version=2024-05-01"], arm.Requests.Select(r => r.ToString()));
    }

    [Theory]
    [InlineData("loadBalancer")]
    [InlineData("managedNATGateway")]
    [InlineData("userAssignedNATGateway")]
    public async Task An_outbound_type_other_than_user_defined_routing_bypasses_the_firewall(string outboundType)
    {
        var (arm, cluster) = await ClusterAsync(c => c["properties"]!["networkProfile"]!["outboundType"] = outboundType);
        await using var _ = arm;
        var finding = Assert.Single((await CheckAsync(arm, cluster)).Findings);

        Assert.Equal(("AKSFW101", "OutboundNotThroughFirewall", "Error"), (finding.Code, finding.RuleName, finding.Severity));
        Assert.Contains(outboundType, finding.Message);
        Assert.Contains("--outbound-type userDefinedRouting", finding.Fix);
    }

    [Fact]
    public async Task A_cluster_in_an_aks_managed_network_is_told_it_needs_its_own_subnet()
    {
        var (arm, cluster) = await ClusterAsync(c =>
        {
            c["properties"]!["networkProfile"]!["outboundType"] = "loadBalancer";
            foreach (var pool in c["properties"]!["agentPoolProfiles"]!.AsArray())
            {
                pool!.AsObject().Remove("vnetSubnetID");
            }
        });
        await using var _ = arm;
        var result = await CheckAsync(arm, cluster);

        Assert.Equal("AKSFW101", Assert.Single(result.Findings).Code);
        Assert.Contains("bring your own virtual network", result.Findings[0].Fix);
        Assert.Empty(result.Sources);
        Assert.Empty(arm.Requests);
    }

    [Fact]
    public async Task A_subnet_without_a_route_table_sends_egress_to_the_internet()
    {
        var (arm, cluster) = await ClusterAsync();
        await using var _ = arm;
        arm.Seed(Subnet, JsonNode.Parse("""{ "properties": { "addressPrefix": "10.240.0.0/22" } }""")!.AsObject());
        var finding = Assert.Single((await CheckAsync(arm, cluster)).Findings);

        Assert.Equal(("AKSFW102", "Error", Subnet), (finding.Code, finding.Severity, finding.Subnet));
        Assert.Contains("next hop type VirtualAppliance and next hop address 10.0.1.4 (firewall fw-hub)", finding.Fix);

        // A firewall in a virtual hub may be reached by the hub's routing intent: unknown, not broken.
        var inHub = await CheckAsync(arm, cluster, [new("fw-vwan", IPAddress.Parse("10.100.64.132"), InVirtualHub: true)]);
        Assert.Equal(("AKSFW102", "Warning"), (Assert.Single(inHub.Findings).Code, inHub.Findings[0].Severity));
    }

    [Theory]
    [InlineData(null, "VirtualAppliance", null, "has no route for 0.0.0.0/0")]
    [InlineData("0.0.0.0/0", "Internet", null, "sends 0.0.0.0/0 to next hop type Internet")]
    [InlineData("0.0.0.0/0", "VirtualAppliance", "10.0.2.4", "sends 0.0.0.0/0 to 10.0.2.4, which is not the private address of a firewall that uses this policy (fw-hub 10.0.1.4)")]
    [InlineData("10.0.0.0/8", "VirtualAppliance", "10.0.1.4", "has no route for 0.0.0.0/0")]
    public async Task A_default_route_that_is_missing_or_leads_elsewhere_is_a_break(string? prefix, string hopType, string? hop, string said)
    {
        var (arm, cluster) = await ClusterAsync();
        await using var _ = arm;
        Route(arm, prefix, hopType, hop);
        var finding = Assert.Single((await CheckAsync(arm, cluster)).Findings);

        Assert.Equal(("AKSFW103", "DefaultRouteElsewhere", "Error"), (finding.Code, finding.RuleName, finding.Severity));
        Assert.Contains(said, finding.Message);
    }

    /// <summary>Routes as the route table holds them: "prefix>VirtualAppliance@10.0.1.4" or "prefix>Internet".</summary>
    private static void Routes(ArmEmulator arm, params string[] routes) =>
        arm.Seed(RouteTable, new JsonObject
        {
            ["properties"] = new JsonObject
            {
                ["routes"] = new JsonArray(routes.Select((r, i) => (JsonNode)new JsonObject
                {
                    ["name"] = $"r{i}",
                    ["properties"] = new JsonObject
                    {
                        ["addressPrefix"] = r.Split('>')[0], ["nextHopType"] = r.Split('>')[1].Split('@')[0],
                        ["nextHopIpAddress"] = r.Contains('@') ? r.Split('@')[1] : null,
                    },
                }).ToArray()),
            },
        });

    [Fact]
    public async Task A_default_route_split_in_halves_to_the_firewall_is_a_path_and_a_host_route_past_it_is_said()
    {
        // Azure picks the longest prefix that holds the address: 0.0.0.0/1 and 128.0.0.0/1 cover the internet as 0.0.0.0/0
        // does. The firewall's public address sent to the internet is what AKS's procedure adds (asymmetric routing).
        var (arm, cluster) = await ClusterAsync();
        await using var _ = arm;
        Routes(arm, "0.0.0.0/1>VirtualAppliance@10.0.1.4", "128.0.0.0/1>VirtualAppliance@10.0.1.4", "20.1.2.3/32>Internet", "AzureCloud>Internet");
        var result = await CheckAsync(arm, cluster);

        Assert.Empty(result.Findings);
        Assert.Contains("subnet aks: route table rt-aks sends 0.0.0.0/1, 128.0.0.0/1 to 10.0.1.4, firewall fw-hub", result.Evidence);
        Assert.Contains("subnet aks: route table rt-aks sends 20.1.2.3/32 to Internet, past the firewall", result.Evidence);
        // A service tag as the prefix (Azure routes take them): said, its ranges not read.
        Assert.Contains("subnet aks: route table rt-aks sends service tag AzureCloud to Internet; its addresses are not checked here", result.Evidence);
    }

    [Theory]
    // Half the internet has no route: the system route sends it to the internet.
    [InlineData("0.0.0.0/1>VirtualAppliance@10.0.1.4", "sends 0.0.0.0/1 to the firewall but has no route for the rest of the internet (from 128.0.0.0), so that egress goes to the internet")]
    // A broader-than-/8 route wins over 0.0.0.0/0 for its half.
    [InlineData("128.0.0.0/1>Internet", "sends 128.0.0.0/1 to next hop type Internet, not to the firewall")]
    [InlineData("0.0.0.0/2>VirtualAppliance@10.0.2.4", "sends 0.0.0.0/2 to 10.0.2.4, which is not the private address of a firewall that uses this policy (fw-hub 10.0.1.4)")]
    public async Task A_broad_route_that_takes_part_of_the_internet_elsewhere_is_a_break(string other, string said)
    {
        var (arm, cluster) = await ClusterAsync();
        await using var _ = arm;
        Routes(arm, other.StartsWith("0.0.0.0/1", StringComparison.Ordinal) ? [other] : ["0.0.0.0/0>VirtualAppliance@10.0.1.4", other]);
        var finding = Assert.Single((await CheckAsync(arm, cluster)).Findings);

        Assert.Equal(("AKSFW103", "Error"), (finding.Code, finding.Severity));
        Assert.Contains(said, finding.Message);
    }

    [Fact]
    public async Task A_route_table_that_cannot_be_read_leaves_the_path_unknown_never_passing()
    {
        var (arm, cluster) = await ClusterAsync();
        await using var _ = arm;
        arm.Inject(r => r.Path.EndsWith("/routeTables/rt-aks", StringComparison.OrdinalIgnoreCase), new Fault.Status(403, "AuthorizationFailed"));
        var result = await CheckAsync(arm, cluster);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(("AKSFW104", "Warning"), (finding.Code, finding.Severity));
        Assert.Contains("cannot be read (AuthorizationFailed)", finding.Message);
        Assert.Contains("Microsoft.Network/routeTables/read", finding.Fix);
        Assert.DoesNotContain(result.Evidence, e => e.Contains("sends 0.0.0.0/0"));
    }

    [Fact]
    public async Task Pod_subnets_are_sources_and_are_checked_too()
    {
        var podSubnet = $"{Rg}/providers/Microsoft.Network/virtualNetworks/vnet-spoke/subnets/pods";
        var (arm, cluster) = await ClusterAsync(c => c["properties"]!["agentPoolProfiles"]![0]!["podSubnetID"] = podSubnet);
        await using var _ = arm;
        arm.Seed(podSubnet, JsonNode.Parse("""{ "properties": { "addressPrefixes": ["10.241.0.0/16"] } }""")!.AsObject());
        var result = await CheckAsync(arm, cluster);

        Assert.Equal(["10.240.0.0/22", "10.241.0.0/16"], result.Sources);
        Assert.Equal(("AKSFW102", podSubnet), (Assert.Single(result.Findings).Code, result.Findings[0].Subnet));
    }

    [Fact]
    public async Task Without_a_known_firewall_the_route_cannot_be_judged_and_says_so()
    {
        var (arm, cluster) = await ClusterAsync();
        await using var _ = arm;
        var result = await CheckAsync(arm, cluster, []);

        Assert.Equal("AKSFW104", Assert.Single(result.Findings).Code);
        Assert.Contains("subnet aks: route table rt-aks sends 0.0.0.0/0 to 10.0.1.4 (no firewall known to compare with)", result.Evidence);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("block")]
    public async Task A_network_isolated_cluster_has_no_egress_path_to_check(string outboundType)
    {
        var (arm, cluster) = await ClusterAsync(c => c["properties"]!["networkProfile"]!["outboundType"] = outboundType);
        await using var _ = arm;
        var result = await CheckAsync(arm, cluster);

        Assert.Empty(result.Findings);
        Assert.Contains(result.Evidence, e => e.StartsWith("network isolated", StringComparison.Ordinal));
        Assert.DoesNotContain(arm.Requests, r => r.Path.Contains("/routeTables/"));
    }

    [Fact]
    public async Task A_firewalls_private_addresses_come_from_its_ip_configurations_or_its_virtual_hub()
    {
        var classic = JsonNode.Parse("""{ "name": "fw-hub", "properties": { "ipConfigurations": [ { "properties": { "privateIPAddress": "10.0.1.4" } } ] } }""")!;
        var hub = JsonNode.Parse("""{ "name": "fw-vwan", "properties": { "hubIPAddresses": { "privateIPAddress": "10.100.64.132" } } }""")!;
        Assert.Equal([new FirewallAddress("fw-hub", IPAddress.Parse("10.0.1.4"))], FirewallAddress.Of(classic));
        Assert.Equal([new FirewallAddress("fw-vwan", IPAddress.Parse("10.100.64.132"), true)], FirewallAddress.Of(hub));
        Assert.Empty(FirewallAddress.Of(JsonNode.Parse("""{ "properties": { "ipConfigurations": [ { "properties": { "privateIPAddress": 5 } } ] } }""")!));
    }
}
