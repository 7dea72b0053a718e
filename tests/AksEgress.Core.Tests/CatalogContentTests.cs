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
        var rules = Catalog.Rules.Where(r => r.Sources.Any(s => s.Document.Id == "seed003" && s.Section == section));
        Assert.Equal(expected, rules.Count());
    }

    [Fact]
    public void Every_current_rule_is_there_from_the_first_revision_or_from_a_dated_amendment()
    {
        var current = Catalog.Rules.Where(r => r.Edition == CatalogEdition.Current).ToList();
        // Without an amendment, a rule has been in the document since its first revision (2023-03-09).
        Assert.All(current.Where(r => r.IntroducedBy is null), r => Assert.Contains(r.Sources.Single().Document.Id, new[] { "seed003", "doc20230309" }));
        // An amendment from the document names a revision of it; the others are Azure/AKS#4792's.
        Assert.All(current.Where(r => r.IntroducedBy is not null), r => Assert.Matches(@"^(DOC-\d{4}-\d{2}-\d{2}|AKS-4792-ADD)$", r.IntroducedBy!.Id));
    }

    // When a row first appeared, from `git log -S'<destination>'` on articles/aks/outbound-rules-control-egress.md of
    // MicrosoftDocs/azure-aks-docs (the commit and its date), checked by hand.
    [Theory]
    [InlineData("pub.core.mcr-msedge", "DOC-2024-06-14")]             // a2148a2b1: mcr-0001.mcr-msedge.net
    [InlineData("all.recommended.snapshot-ubuntu", "DOC-2024-09-26")] // 70f42917a: snapshot.ubuntu.com
    [InlineData("pub.extensions.marketplace-api", "DOC-2023-04-24")]  // a4027e449: marketplaceapi.microsoft.com
    [InlineData("pub.extensions.marketplace-westus2", "DOC-2023-12-06")] // 7c799c01f: arcmktplaceprod.westus2.data.azurecr.io
    [InlineData("gov.csi.keyvault", "DOC-2024-10-10")]                // f9be3faa3: *.vault.usgovcloudapi.net
    [InlineData("cn.workload-identity.login", "DOC-2024-12-07")]      // e69a70bc1: "login.microsoftonline.com or login.chinacloudapi.cn or ..." under "Workload identity"
    [InlineData("pub.core.packages-aks", "AKS-4792-ADD")]             // Azure/AKS#4792, not the document (see The_amendments_of_AKS_issue_4792_are_dated_as_announced)
    public void A_rule_is_introduced_by_the_revision_that_first_listed_it(string rule, string amendment) =>
        Assert.Equal(amendment, Catalog.Rules.Single(r => r.Id == rule).IntroducedBy?.Id);

    // git log -S'dc.services.visualstudio.cn': added by 084047d43 (2024-06-05), removed by 5378de9f7 (2024-12-06).
    [Fact]
    public void A_rule_that_came_and_went_is_there_only_between_the_two_revisions()
    {
        var rule = Catalog.Rules.Single(r => r.Id == "cn.monitor.dc");
        Assert.Equal(("DOC-2024-06-05", "DOC-2024-12-06"), (rule.IntroducedBy?.Id, rule.RetiredBy?.Id));
        // Before it, the document listed Azure public's dc.services.visualstudio.com in a table for every cloud.
        var before = Catalog.Rules.Single(r => r.Id == "cn.azuremonitor.dc-services-visualstudio-com.2023-03-09");
        Assert.Equal((null, "DOC-2024-06-05"), (before.IntroducedBy?.Id, before.RetiredBy?.Id));
        // mcr.azure.cn was listed for twelve days in March 2025, then again from 2025-05-08.
        var window = Catalog.Rules.Single(r => r.Id == "cn.core.mcr-azure-cn.2025-03-13");
        Assert.Equal(("DOC-2025-03-13", "DOC-2025-03-25"), (window.IntroducedBy?.Id, window.RetiredBy?.Id));
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
        var amendments = Catalog.Amendments.ToDictionary(a => a.Id);
        Assert.Equal((new DateTime(2025, 3, 31), "https://github.com/Azure/AKS/issues/4792"), (amendments["AKS-4792-ADD"].Date, amendments["AKS-4792-ADD"].Source.Url));
        Assert.Equal(new DateTime(2025, 5, 31), amendments["AKS-4792-RETIRE"].Date);
        Assert.Equal(["acs-mirror.azureedge.net"], Catalog.Rules.Where(r => r.RetiredBy?.Id == "AKS-4792-RETIRE").Select(r => r.Destinations[0].Value).Distinct());
        Assert.Equal(["packages.aks.azure.com"], Catalog.Rules.Where(r => r.IntroducedBy?.Id == "AKS-4792-ADD").Select(r => r.Destinations[0].Value).Distinct());
    }

    // The commits of MicrosoftDocs/azure-aks-docs that changed articles/aks/outbound-rules-control-egress.md, with their dates (git log).
    [Theory]
    [InlineData("DOC-2024-12-06", "2024-12-06", "5378de9f7e32063fefbd2725f34545a98dcde155")]
    [InlineData("DOC-2025-05-08", "2025-05-08", "b19998b606ee6725c85396577b1e981bcaf12e3a")]
    [InlineData("DOC-2025-05-13", "2025-05-13", "70f94fee9fb7874c6daa1b4aedcc068707feb399")]
    [InlineData("DOC-2025-05-27", "2025-05-27", "80540a38627b99516f145da9f66dea8cca6065d6")]
    [InlineData("DOC-2025-07-03", "2025-07-03", "5c524afc3c299e2dd25022cd529b294c65a9a37f")]
    [InlineData("DOC-2023-04-24", "2023-04-24", "38c281296932b1a86467fcc0703a8c626f047f46")]
    [InlineData("DOC-2024-12-07", "2024-12-07", "ef2738c1db6dfa8f49efe0065c6529e1f53dfcf0")]
    public void The_amendments_from_the_document_name_its_revision(string id, string date, string commit)
    {
        var amendment = Catalog.Amendments.Single(a => a.Id == id);
        Assert.Equal(DateTime.Parse(date, System.Globalization.CultureInfo.InvariantCulture), amendment.Date);
        Assert.Equal($"https://github.com/MicrosoftDocs/azure-aks-docs/blob/{commit}/articles/aks/outbound-rules-control-egress.md", amendment.Source.Url);
    }

    [Fact]
    public void Corrections_of_the_source_are_noted_on_the_rules_they_change()
    {
        var corrected = Catalog.Rules.Where(r => r.Correction is not null).ToDictionary(r => r.Id, r => r.Destinations[0].Value);
        Assert.Equal("*.data.mcr.microsoft.com", corrected["cn.core.mcr-data"]); // source: ".data.mcr.microsoft.com"
        Assert.Equal("*.vault.azure.net", corrected["pub.csi.keyvault"]);         // source: "vault.azure.net"
        Assert.Equal("*.data.mcr.azure.cn", corrected["cn.core.mcr-cache-data"]);   // revision of 2025-05-13: ".data.mcr.azure.cn"
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
