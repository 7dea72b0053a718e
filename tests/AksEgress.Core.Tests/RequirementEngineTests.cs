using AksEgress.Catalog;
using AksEgress.Requirements;

namespace AksEgress.Core.Tests;

/// <summary>Queries against seed 003's tables: the exact rows each cloud, option and feature must give.</summary>
public class RequirementEngineTests
{
    [Fact]
    public void A_public_cluster_in_westeurope_needs_the_tunnel_and_the_required_fqdns()
    {
        Assert.Equal(
        [
            "Udp 1194 AzureCloud.westeurope",
            "Tcp 9000 AzureCloud.westeurope",
            "Https 443 *.hcp.westeurope.azmk8s.io",
            "Https 443 mcr.microsoft.com",
            "Https 443 *.data.mcr.microsoft.com",
            "Https 443 mcr-0001.mcr-msedge.net",
            "Https 443 management.azure.com",
            "Https 443 login.microsoftonline.com",
            "Https 443 packages.microsoft.com",
            "Https 443 packages.aks.azure.com",
        ], Query.Run("westeurope").Rows());
    }

    [Fact]
    public void Each_rule_is_typed_and_traceable()
    {
        var tunnel = Query.Run("westeurope").Rules[0];
        Assert.Equal("pub.core.tunnel-udp-1194", tunnel.Id);
        Assert.Equal((RuleKind.Network, DestinationType.ServiceTag, RuleCategory.Required, true), (tunnel.KindValue, tunnel.DestinationTypeValue, tunnel.CategoryValue, tunnel.Required));
        Assert.Equal(["*"], tunnel.Alternatives);
        Assert.Equal("Outbound network and FQDN rules for AKS clusters (2024-10-10) § Azure Global required network rules", tunnel.Source);
        Assert.Contains("konnectivity", tunnel.Condition);
    }

    [Fact]
    public void Before_the_amendment_the_cluster_needed_acs_mirror_and_after_the_retirement_only_packages_aks()
    {
        Assert.Contains("Https 443 acs-mirror.azureedge.net", Query.Run("westeurope", asOf: new DateTime(2025, 1, 1)).Rows());
        Assert.DoesNotContain("Https 443 packages.aks.azure.com", Query.Run("westeurope", asOf: new DateTime(2025, 1, 1)).Rows());
        var between = Query.Run("westeurope", asOf: new DateTime(2025, 4, 15)).Rows();
        Assert.Contains("Https 443 acs-mirror.azureedge.net", between);
        Assert.Contains("Https 443 packages.aks.azure.com", between);
        var rule = Query.Run("westeurope").Rules.Single(r => r.Destination == "packages.aks.azure.com");
        Assert.Equal(("AKS-4792-ADD", new DateTime(2025, 3, 31)), (rule.Amendment, rule.AmendedOn));
        Assert.DoesNotContain("Https 443 acs-mirror.azureedge.net", Query.Run("westeurope").Rows());
    }

    [Fact]
    public void A_private_cluster_needs_neither_the_tunnel_nor_the_hcp_endpoint()
    {
        var result = Query.Run("eastus", privateCluster: true, includeOptional: true);
        Assert.DoesNotContain(result.Rules, r => r.Port is 1194 or 9000 || r.Destination.Contains("hcp"));
        Assert.Contains(result.Omissions, o => o.RuleId == "pub.core.tunnel-udp-1194" && o.Reason.Contains("private"));
    }

    [Fact]
    public void A_konnectivity_cluster_needs_the_hcp_endpoint_but_not_the_tunnel_ports()
    {
        var rows = Query.Run("eastus", konnectivity: true).Rows();
        Assert.DoesNotContain(rows, r => r.StartsWith("Udp 1194") || r.StartsWith("Tcp 9000"));
        Assert.Contains("Https 443 *.hcp.eastus.azmk8s.io", rows);
    }

    [Fact]
    public void Custom_dns_servers_each_get_a_udp_53_rule_and_none_without_them()
    {
        Assert.Equal(["Udp 53 10.0.0.4", "Udp 53 10.0.0.5"], Query.Run("westeurope", dns: ["10.0.0.4", "10.0.0.5"]).Rows().Where(r => r.StartsWith("Udp 53")));
        Assert.DoesNotContain(Query.Run("westeurope").Rows(), r => r.StartsWith("Udp 53"));
    }

    [Fact]
    public void With_the_api_server_address_the_tunnel_targets_it_and_the_optional_443_rule_appears()
    {
        var result = Query.Run("westeurope", api: "20.50.1.10", includeOptional: true);
        var tunnel = result.Rules.Single(r => r.Id == "pub.core.tunnel-udp-1194");
        Assert.Equal(("20.50.1.10", DestinationType.IpAddress), (tunnel.Destination, tunnel.DestinationTypeValue));
        Assert.Equal(["AzureCloud.westeurope", "*"], tunnel.Alternatives);
        Assert.Contains(result.Rules, r => r.Row() == "Tcp 443 20.50.1.10" && r.CategoryValue == RuleCategory.Optional);
        Assert.DoesNotContain(Query.Run("westeurope", api: "20.50.1.10").Rows(), r => r == "Tcp 443 20.50.1.10");
    }

    [Fact]
    public void Ntp_is_optional_in_azure_public_for_nodes_since_march_2021_but_required_in_us_government()
    {
        Assert.DoesNotContain(Query.Run("westeurope").Rows(), r => r.StartsWith("Udp 123"));
        var ntp = Query.Run("westeurope", includeOptional: true).Rules.Single(r => r.Port == 123);
        Assert.Equal(("ntp.ubuntu.com", DestinationType.Fqdn, RuleCategory.Optional), (ntp.Destination, ntp.DestinationTypeValue, ntp.CategoryValue));
        Assert.Contains("DNS proxy", ntp.Note);
        Assert.Contains("Udp 123 ntp.ubuntu.com", Query.Run("usgovvirginia", AksCloud.AzureUSGovernment).Rows());
    }

    [Fact]
    public void Azure_china_has_its_own_endpoints_and_a_tcp_22_tunnel()
    {
        Assert.Equal(
        [
            "Udp 1194 AzureCloud.chinaeast2",
            "Tcp 9000 AzureCloud.chinaeast2",
            "Tcp 22 AzureCloud.chinaeast2",
            "Udp 123 ntp.ubuntu.com",
            "Https 443 *.hcp.chinaeast2.cx.prod.service.azk8s.cn",
            "Https 443 *.tun.chinaeast2.cx.prod.service.azk8s.cn",
            "Https 443 mcr.microsoft.com",
            "Https 443 *.data.mcr.microsoft.com",
            "Https 443 management.chinacloudapi.cn",
            "Https 443 login.chinacloudapi.cn",
            "Https 443 packages.microsoft.com",
            "Https 443 *.azk8s.cn",
        ], Query.Run("chinaeast2", AksCloud.AzureChinaCloud, asOf: Query.Seed003Era).Rows());
    }

    [Fact]
    public void Azure_us_government_has_its_own_endpoints()
    {
        Assert.Equal(
        [
            "Udp 1194 AzureCloud.usgovvirginia",
            "Tcp 9000 AzureCloud.usgovvirginia",
            "Udp 123 ntp.ubuntu.com",
            "Https 443 *.hcp.usgovvirginia.cx.aks.containerservice.azure.us",
            "Https 443 mcr.microsoft.com",
            "Https 443 *.data.mcr.microsoft.com",
            "Https 443 management.usgovcloudapi.net",
            "Https 443 login.microsoftonline.us",
            "Https 443 packages.microsoft.com",
            "Https 443 packages.aks.azure.com",
        ], Query.Run("usgovvirginia", AksCloud.AzureUSGovernment).Rows());
    }

    [Fact]
    public void Recommended_rules_come_only_with_include_optional()
    {
        var recommended = Query.Run("westeurope", includeOptional: true).Rules.Where(r => r.CategoryValue == RuleCategory.Recommended).Select(Query.Row);
        Assert.Equal(["Http 80 security.ubuntu.com", "Http 80 azure.archive.ubuntu.com", "Http 80 changelogs.ubuntu.com", "Https 443 snapshot.ubuntu.com"], recommended);
        Assert.DoesNotContain(Query.Run("westeurope").Rules, r => r.CategoryValue == RuleCategory.Recommended);
    }

    [Fact]
    public void Category_returns_exactly_the_categories_asked_for() =>
        Assert.All(Query.Run("westeurope", categories: [RuleCategory.Recommended]).Rules, r => Assert.Equal(RuleCategory.Recommended, r.CategoryValue));

    public static TheoryData<AksCloud, string, AksFeature, string[]> FeatureRows => new()
    {
        { AksCloud.AzureCloud, "westeurope", AksFeature.Gpu, ["Https 443 nvidia.github.io", "Https 443 us.download.nvidia.com", "Https 443 download.docker.com"] },
        { AksCloud.AzureCloud, "westeurope", AksFeature.Windows, ["Https 443 onegetcdn.azureedge.net", "Https 443 go.microsoft.com", "Http 80 *.mp.microsoft.com", "Http 80 www.msftconnecttest.com", "Http 80 ctldl.windowsupdate.com"] },
        { AksCloud.AzureCloud, "westeurope", AksFeature.Defender, ["Https 443 login.microsoftonline.com", "Https 443 *.ods.opinsights.azure.com", "Https 443 *.oms.opinsights.azure.com"] },
        { AksCloud.AzureUSGovernment, "usgovtexas", AksFeature.Defender, ["Https 443 login.microsoftonline.us", "Https 443 *.ods.opinsights.azure.us", "Https 443 *.oms.opinsights.azure.us"] },
        { AksCloud.AzureChinaCloud, "chinanorth3", AksFeature.Defender, ["Https 443 login.microsoftonline.cn", "Https 443 *.ods.opinsights.azure.cn", "Https 443 *.oms.opinsights.azure.cn"] },
        { AksCloud.AzureCloud, "westeurope", AksFeature.CsiSecretStore, ["Https 443 *.vault.azure.net"] },
        { AksCloud.AzureUSGovernment, "usgovvirginia", AksFeature.CsiSecretStore, ["Https 443 *.vault.usgovcloudapi.net"] },
        { AksCloud.AzureCloud, "westeurope", AksFeature.AzureMonitor, ["Https 443 dc.services.visualstudio.com", "Https 443 *.ods.opinsights.azure.com", "Https 443 *.oms.opinsights.azure.com", "Https 443 *.monitoring.azure.com", "Https 443 westeurope.ingest.monitor.azure.com", "Https 443 westeurope.handler.control.monitor.azure.com"] },
        { AksCloud.AzureChinaCloud, "chinaeast2", AksFeature.AzureMonitor, ["Https 443 dc.services.visualstudio.cn", "Https 443 *.ods.opinsights.azure.cn", "Https 443 *.oms.opinsights.azure.cn", "Https 443 global.handler.control.monitor.azure.cn", "Https 443 chinaeast2.handler.control.monitor.azure.cn"] },
        { AksCloud.AzureUSGovernment, "usgovvirginia", AksFeature.AzureMonitor, ["Https 443 dc.services.visualstudio.us", "Https 443 *.ods.opinsights.azure.us", "Https 443 *.oms.opinsights.azure.us", "Https 443 global.handler.control.monitor.azure.us", "Https 443 usgovvirginia.handler.control.monitor.azure.us"] },
        { AksCloud.AzureCloud, "westeurope", AksFeature.AzurePolicy, ["Https 443 data.policy.core.windows.net", "Https 443 store.policy.core.windows.net", "Https 443 dc.services.visualstudio.com"] },
        { AksCloud.AzureChinaCloud, "chinaeast2", AksFeature.AzurePolicy, ["Https 443 data.policy.azure.cn", "Https 443 store.policy.azure.cn"] },
        { AksCloud.AzureUSGovernment, "usgovvirginia", AksFeature.AzurePolicy, ["Https 443 data.policy.azure.us", "Https 443 store.policy.azure.us"] },
        { AksCloud.AzureCloud, "westeurope", AksFeature.CostAnalysis, ["Https 443 management.azure.com", "Https 443 login.microsoftonline.com"] },
        { AksCloud.AzureChinaCloud, "chinaeast2", AksFeature.CostAnalysis, ["Https 443 management.chinacloudapi.cn", "Https 443 login.microsoftonline.cn"] },
        { AksCloud.AzureUSGovernment, "usgovvirginia", AksFeature.ClusterExtensions, ["Https 443 usgovvirginia.dp.kubernetesconfiguration.azure.us", "Https 443 mcr.microsoft.com", "Https 443 *.data.mcr.microsoft.com"] },
    };

    [Theory]
    [MemberData(nameof(FeatureRows))]
    public void A_feature_adds_the_rows_its_section_lists_for_the_cloud(AksCloud cloud, string location, AksFeature feature, string[] expected)
    {
        // The rows of seed 003; later revisions are tested in Get-AksEgressRequirement.Tests.ps1.
        var rules = Query.Run(location, cloud, [feature], asOf: Query.Seed003Era).Rules.Where(r => r.FeatureValue == feature).ToList();
        Assert.Equal(expected, rules.Select(Query.Row));
        Assert.All(rules, r => Assert.Equal((RuleCategory.Feature, true), (r.CategoryValue, r.Required)));
    }

    [Fact]
    public void Cluster_extensions_in_azure_public_need_the_marketplace_registry_and_its_five_regional_endpoints()
    {
        var rows = Query.Run("eastus", features: [AksFeature.ClusterExtensions]).Rules.Where(r => r.FeatureValue == AksFeature.ClusterExtensions).Select(Query.Row).ToList();
        Assert.Equal(12, rows.Count);
        Assert.Contains("Https 443 eastus.dp.kubernetesconfiguration.azure.com", rows);
        Assert.Contains("Https 443 arcmktplaceprod.azurecr.io", rows);
        Assert.Equal(5, rows.Count(r => r.StartsWith("Https 443 arcmktplaceprod.") && r.EndsWith(".data.azurecr.io")));
        Assert.Contains("Https 443 marketplaceapi.microsoft.com", rows);
    }

    [Fact]
    public void Azure_monitor_by_service_tag_is_one_network_rule_instead_of_the_fqdns()
    {
        var rules = Query.Run("westeurope", features: [AksFeature.AzureMonitor], monitor: MonitorAccess.ServiceTag).Rules.Where(r => r.FeatureValue == AksFeature.AzureMonitor).ToList();
        var rule = Assert.Single(rules);
        Assert.Equal(("Tcp 443 AzureMonitor", RuleKind.Network, DestinationType.ServiceTag), (rule.Row(), rule.KindValue, rule.DestinationTypeValue));
    }

    [Theory]
    [InlineData(AksCloud.AzureChinaCloud, "chinaeast2", AksFeature.CsiSecretStore)]
    [InlineData(AksCloud.AzureChinaCloud, "chinaeast2", AksFeature.ClusterExtensions)]
    public void A_feature_the_source_does_not_document_for_a_cloud_gives_a_warning_and_no_rules(AksCloud cloud, string location, AksFeature feature)
    {
        var result = Query.Run(location, cloud, [feature]);
        Assert.DoesNotContain(result.Rules, r => r.FeatureValue == feature);
        Assert.Contains(result.Warnings, w => w.Contains(feature.ToString()) && w.Contains(cloud.ToString()));
    }

    [Fact]
    public void The_2019_edition_is_never_a_requirement_but_can_be_listed()
    {
        Assert.DoesNotContain(Query.Run("westeurope", includeOptional: true).Rules, r => r.Destination is "aksrepos.azurecr.io" or "*.cdn.mscr.io");
        var legacy = Query.Run("westeurope", edition: CatalogEdition.Legacy2019, includeOptional: true).Rows();
        Assert.Contains("Https 443 aksrepos.azurecr.io", legacy);
        Assert.Contains("Https 443 *.cdn.mscr.io", legacy);
        Assert.Contains("Tcp 22 *.tun.westeurope.azmk8s.io", legacy);
        Assert.Contains("Tcp 9000 *.tun.westeurope.azmk8s.io", legacy);
        Assert.Contains("Https 443 *.blob.core.windows.net", legacy);
    }

    public static TheoryData<AksCloud, string> AllRegions()
    {
        var data = new TheoryData<AksCloud, string>();
        foreach (var cloud in RuleCatalog.Embedded.Clouds)
        {
            foreach (var region in cloud.Regions)
            {
                data.Add(cloud.Name, region);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllRegions))]
    public void Every_region_resolves_every_placeholder_and_pairs_protocols_with_kinds(AksCloud cloud, string region)
    {
        var all = Enum.GetValues<AksFeature>();
        var result = Query.Run(region, cloud, all, dns: ["10.1.2.3"], api: "20.1.2.3", includeOptional: true);
        Assert.NotEmpty(result.Rules);
        Assert.All(result.Rules, r =>
        {
            Assert.DoesNotContain("{", r.Destination);
            Assert.Equal(r.KindValue == RuleKind.Network, r.ProtocolValue is RuleProtocol.Tcp or RuleProtocol.Udp);
            Assert.InRange(r.Port, 1, 65535);
            Assert.False(string.IsNullOrWhiteSpace(r.Source));
        });
    }
}
