using AksEgress.Catalog;

namespace AksEgress.Core.Tests;

/// <summary>The embedded catalog against seed 003 (and the 2019 seeds 000/002), counted and read by hand.</summary>
public class CatalogContentTests
{
    private static readonly RuleCatalog Catalog = RuleCatalog.Embedded;

    // One rule per destination: a row of the source that lists two FQDNs counts twice; a row that lists one FQDN per
    // cloud (Defender, cost analysis) counts once per cloud.
    [Theory]
    [InlineData("Azure Global required network rules", 5)]
    [InlineData("Azure Global required FQDN / application rules", 8)]
    [InlineData("Microsoft Azure operated by 21Vianet required network rules", 6)]
    [InlineData("Microsoft Azure operated by 21Vianet required FQDN / application rules", 8)]
    [InlineData("Azure US Government required network rules", 5)]
    [InlineData("Azure US Government required FQDN / application rules", 7)]
    [InlineData("Optional recommended FQDN / application rules for AKS clusters", 4)]
    [InlineData("GPU enabled AKS clusters required FQDN / application rules", 3)]
    [InlineData("Windows Server based node pools required FQDN / application rules", 5)]
    [InlineData("Microsoft Defender for Containers required FQDN / application rules", 9)]
    [InlineData("CSI Secret Store required FQDN / application rules", 2)]
    [InlineData("Azure Monitor for containers required network rules", 1)]
    [InlineData("Azure Monitor for containers required FQDN / application rules", 6)]
    [InlineData("Azure Monitor for containers - Microsoft Azure operated by 21Vianet required FQDN / application rules", 5)]
    [InlineData("Azure Monitor for containers - Azure US Government required FQDN / application rules", 5)]
    [InlineData("Azure Policy required FQDN / application rules", 3)]
    [InlineData("Azure Policy - Microsoft Azure operated by 21Vianet required FQDN / application rules", 2)]
    [InlineData("Azure Policy - Azure US Government required FQDN / application rules", 2)]
    [InlineData("AKS cost analysis add-on required FQDN / application rules", 6)]
    [InlineData("Cluster extensions required FQDN / application rules", 12)]
    [InlineData("Cluster extensions - Azure US Government required FQDN / application rules", 3)]
    public void Each_section_of_seed_003_has_one_rule_per_destination(string section, int expected)
    {
        var rules = Catalog.Rules.Where(r => r.Sources.Any(s => s.Document.Document == "003_8f8a3784ff8fd43c.txt" && s.Section == section));
        Assert.Equal(expected, rules.Count());
    }

    [Fact]
    public void Every_current_rule_comes_from_seed_003_or_a_dated_amendment()
    {
        var current = Catalog.Rules.Where(r => r.Edition == CatalogEdition.Current).ToList();
        Assert.Equal(107, current.Count(r => r.IntroducedBy is null));
        Assert.All(current.Where(r => r.IntroducedBy is null), r => Assert.Equal("003_8f8a3784ff8fd43c.txt", r.Sources.Single().Document.Document));
        Assert.Equal(["pub.core.packages-aks", "gov.core.packages-aks"], current.Where(r => r.IntroducedBy is not null).Select(r => r.Id));
    }

    [Fact]
    public void The_2019_edition_holds_the_rules_of_the_fr_and_ja_seeds()
    {
        var legacy = Catalog.Rules.Where(r => r.Edition == CatalogEdition.Legacy2019).ToList();
        // fr (000): 3 network ports, hcp and tun on 443/22/9000, 7 more FQDN rows incl. NTP; 12 recommended incl. UDP 53.
        // ja (002) adds api.snapcraft.io (443 and 80), *.docker.io, and *.ubuntu.com in place of the three ubuntu hosts.
        Assert.Equal(19, legacy.Count(r => r.Category == RuleCategory.Required));
        Assert.Equal(12, legacy.Count(r => r.Category == RuleCategory.Recommended));
        Assert.Contains(Catalog.Editions, e => e.Name == CatalogEdition.Legacy2019 && e.Obsolete && e.Documented == new DateTime(2019, 6, 6));
        Assert.Contains(legacy, r => r.Destinations[0].Value == "aksrepos.azurecr.io");
        Assert.Contains(legacy, r => r.Destinations[0].Value == "*.cdn.mscr.io");
        Assert.Contains(legacy, r => r.Destinations[0].Value == "*.tun.{location}.azmk8s.io" && r.Protocol == RuleProtocol.Tcp && r.Port == 22);
        Assert.Contains(legacy, r => r.Destinations[0].Value == "api.snapcraft.io" && r.Sources.Single().Document.Document == "002_16fa7e5294a2b66b.txt");
    }

    [Fact]
    public void The_amendments_of_AKS_issue_4792_are_dated_as_announced()
    {
        Assert.Collection(Catalog.Amendments.OrderBy(a => a.Date),
            a => { Assert.Equal(new DateTime(2025, 3, 31), a.Date); Assert.Equal("https://github.com/Azure/AKS/issues/4792", a.Source.Url); },
            a => Assert.Equal(new DateTime(2025, 5, 31), a.Date));
        var retired = Catalog.Rules.Where(r => r.RetiredBy is not null).Select(r => r.Destinations[0].Value).Distinct();
        Assert.Equal(["acs-mirror.azureedge.net"], retired);
    }

    [Fact]
    public void Corrections_of_the_source_are_noted_on_the_rules_they_change()
    {
        var corrected = Catalog.Rules.Where(r => r.Correction is not null).ToDictionary(r => r.Id, r => r.Destinations[0].Value);
        Assert.Equal("*.data.mcr.microsoft.com", corrected["cn.core.mcr-data"]); // source: ".data.mcr.microsoft.com"
        Assert.Equal("*.vault.azure.net", corrected["pub.csi.keyvault"]);         // source: "vault.azure.net"
        Assert.True(corrected.ContainsKey("cn.core.tunnel-udp-1194"));            // source: "AzureCloud.Region"
    }

    [Theory]
    [InlineData(AksCloud.AzureChinaCloud, new[] { "chinaeast", "chinaeast2", "chinaeast3", "chinanorth", "chinanorth2", "chinanorth3" })]
    [InlineData(AksCloud.AzureUSGovernment, new[] { "usgovarizona", "usgovtexas", "usgovvirginia", "usdodcentral", "usdodeast" })]
    public void Sovereign_clouds_list_their_own_regions(AksCloud cloud, string[] regions) =>
        Assert.Equal(regions.OrderBy(r => r), Catalog.FindCloud(cloud)!.Regions.OrderBy(r => r));

    [Fact]
    public void Public_regions_include_the_regions_named_by_the_source() =>
        Assert.Superset(new HashSet<string>(["centralindia", "japaneast", "westus2", "westeurope", "eastus"]),
            new HashSet<string>(Catalog.FindCloud(AksCloud.AzureCloud)!.Regions));
}
