using AksEgress.Catalog;
using AksEgress.Catalog.Import;
using AksEgress.Requirements;

namespace AksEgress.Core.Tests;

/// <summary>
/// The reader of Microsoft's document, on real revisions kept in tests/data/egress-document (MicrosoftDocs/azure-aks-docs,
/// CC BY 4.0), against rows transcribed here by hand from those revisions, and against the embedded catalog, which was
/// curated by hand from the same revisions: the two must agree.
/// </summary>
public class EgressDocumentTests
{
    private const string Latest = "2026-06-18.1bdcfff99.md";
    private const string Seed003 = "2024-10-10.f9be3faa3.md";
    private const string First = "2023-03-09.82dbc720e.md";

    internal static string Revision(string name) => File.ReadAllText(Path.Combine(FindingsDocumentationTests.RepositoryRoot(), "tests", "data", "egress-document", name));

    private static IReadOnlyList<DocumentRow> Rows(string name)
    {
        var (_, rows, problems) = EgressDocument.Parse(Revision(name), name);
        Assert.Empty(problems);
        return rows;
    }

    private static string Row(DocumentRow r) => $"{r.Line} {r.Cloud} {r.Feature} {r.Protocol}:{r.Port} {string.Join(" | ", r.Destinations)}";

    private static List<string> StoredFiles() =>
        [.. Directory.GetFiles(Path.Combine(FindingsDocumentationTests.RepositoryRoot(), "tests", "data", "egress-document"), "*.md")
            .Select(f => Path.GetFileName(f)).Where(f => f != "README.md").Order(StringComparer.Ordinal)];

    public static TheoryData<string> StoredRevisions() => [.. StoredFiles()];

    /// <summary>
    /// The document's history is the catalog's: every revision on which the rules changed, since the file was created,
    /// gives the catalog's rules as of its date. One difference is reasoned, not missed: packages.aks.azure.com, listed
    /// from 2025-02-05 as "will be replacing acs-mirror.azureedge.net in the future", is required from 2025-03-31 as
    /// Azure/AKS#4792 announced.
    /// </summary>
    [Theory]
    [MemberData(nameof(StoredRevisions))]
    public void Every_stored_revision_and_the_embedded_catalog_as_of_its_date_agree(string revision)
    {
        var date = DateTime.ParseExact(revision.Substring(0, 10), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var differences = CatalogComparer.Compare(RuleCatalog.Embedded, Rows(revision), date)
            .Where(d => !(d.Destination.SequenceEqual(["packages.aks.azure.com"]) && d.Change == "Added" && date < new DateTime(2025, 3, 31)));
        Assert.Empty(differences.Select(d => d.ToString()));
    }

    [Fact]
    public void The_revisions_are_the_documents_own_from_its_creation_to_the_latest()
    {
        var revisions = StoredFiles();
        Assert.Equal("2023-03-09.82dbc720e.md", revisions[0]);
        Assert.Equal(Latest, revisions[^1]);
        Assert.Equal(22, revisions.Count);
        Assert.All(revisions, r => Assert.Contains("# Outbound network and FQDN rules for Azure Kubernetes Service (AKS) clusters", Revision(r)));
    }

    [Fact]
    public void The_network_rules_of_azure_global_read_as_the_latest_revision_states_them()
    {
        // Transcribed from lines 59-63 of the revision of 2026-06-18 ("Azure Global required network rules").
        Assert.Equal(
            [
                "59 AzureCloud None Udp:1194 * | AzureCloud.{location} | {apiServerAddress}",
                "60 AzureCloud None Tcp:9000 * | AzureCloud.{location} | {apiServerAddress}",
                "61 AzureCloud None Udp:123 * | ntp.ubuntu.com",
                "62 AzureCloud None Udp:53 {dnsServer}",
                "63 AzureCloud None Tcp:443 {apiServerAddress}",
            ],
            Rows(Latest).Where(r => r.Line is >= 55 and <= 64).Select(Row));
    }

    [Fact]
    public void A_table_of_endpoint_purpose_and_port_under_a_clouds_heading_is_that_clouds()
    {
        // Lines 241-248 of the revision of 2026-06-18: "Azure Government cloud required FQDN / application rules" of Azure Monitor.
        Assert.Equal(
            [
                "241 AzureUSGovernment AzureMonitor Https:443 *.ods.opinsights.azure.us",
                "242 AzureUSGovernment AzureMonitor Https:443 *.oms.opinsights.azure.us",
                "243 AzureUSGovernment AzureMonitor Https:443 dc.services.visualstudio.com",
                "244 AzureUSGovernment AzureMonitor Https:443 *.in.applicationinsights.azure.com",
                "245 AzureUSGovernment AzureMonitor Https:443 global.handler.control.monitor.azure.us",
                "246 AzureUSGovernment AzureMonitor Https:443 {location}.handler.control.monitor.azure.us",
                "247 AzureUSGovernment AzureMonitor Https:443 *.ingest.monitor.azure.us",
                "248 AzureUSGovernment AzureMonitor Https:443 *.metrics.ingest.monitor.azure.us",
            ],
            Rows(Latest).Where(r => r.Line is >= 241 and <= 248).Select(Row));
    }

    [Fact]
    public void Per_cloud_annotations_split_one_row_into_the_rules_of_three_clouds()
    {
        // Line 177: login.microsoftonline.com <br/> login.microsoftonline.us (Azure Government) <br/> login.microsoftonline.cn (Azure operated by 21Vianet);
        // line 180: *.cloud.defender.microsoft.com, with no cloud named, for every cloud.
        Assert.Equal(
            [
                "177 AzureCloud Defender Https:443 login.microsoftonline.com",
                "177 AzureUSGovernment Defender Https:443 login.microsoftonline.us",
                "177 AzureChinaCloud Defender Https:443 login.microsoftonline.cn",
                "180 AzureCloud Defender Https:443 *.cloud.defender.microsoft.com",
                "180 AzureChinaCloud Defender Https:443 *.cloud.defender.microsoft.com",
                "180 AzureUSGovernment Defender Https:443 *.cloud.defender.microsoft.com",
            ],
            Rows(Latest).Where(r => r.Line is 177 or 180).Select(Row));
    }

    [Fact]
    public void The_istio_and_application_routing_sections_send_to_the_key_vault_rules_and_get_them()
    {
        // Lines 315 and 319 of the revision of 2026-06-18: no table, a link to the Key Vault section ([akv-outbound]),
        // whose rows (lines 192-193) are *.vault.azure.net (read as a correction of "vault.azure.net") and *.vault.usgovcloudapi.net.
        Assert.Equal(
            [
                "315 AzureCloud Istio Https:443 *.vault.azure.net",
                "315 AzureUSGovernment Istio Https:443 *.vault.usgovcloudapi.net",
                "319 AzureCloud ApplicationRouting Https:443 *.vault.azure.net",
                "319 AzureUSGovernment ApplicationRouting Https:443 *.vault.usgovcloudapi.net",
            ],
            Rows(Latest).Where(r => r.Feature is AksFeature.Istio or AksFeature.ApplicationRouting).Select(Row));
        Assert.DoesNotContain(Rows(Seed003), r => r.Feature is AksFeature.Istio or AksFeature.ApplicationRouting);
    }

    // The document links its own sections the way learn.microsoft.com anchors them: "[akv-outbound]:
    // #azure-key-vault-provider-for-secrets-store-csi-driver" for "### Azure Key Vault provider for Secrets Store CSI Driver".
    [Fact]
    public void A_rule_of_the_document_links_to_its_section_on_learn()
    {
        Assert.Contains("[akv-outbound]: #azure-key-vault-provider-for-secrets-store-csi-driver", Revision(Latest));
        var rules = RequirementEngine.Query(RuleCatalog.Embedded, new RequirementQuery { Location = "westeurope", Features = [AksFeature.Defender], AsOf = Query.Today }).Rules;
        Assert.Equal("https://learn.microsoft.com/azure/aks/outbound-rules-control-egress#azure-global-required-fqdn--application-rules", rules.Single(r => r.Id == "pub.core.mcr").PageUrl);
        Assert.Equal("https://learn.microsoft.com/azure/aks/outbound-rules-control-egress#microsoft-defender-for-containers-required-fqdn--application-rules", rules.Single(r => r.Id == "all.defender.cloud").PageUrl);
        Assert.Null(rules.Single(r => r.Id == "pub.core.packages-aks").PageUrl); // Azure/AKS#4792
    }

    [Fact]
    public void Known_typos_of_a_revision_are_read_as_corrections_and_said()
    {
        // 2024-10-10, line 90 (Azure operated by 21Vianet): ".data.mcr.microsoft.com" without its leading '*'.
        var typo = Assert.Single(Rows(Seed003), r => r.Line == 90);
        Assert.Equal("90 AzureChinaCloud None Https:443 *.data.mcr.microsoft.com", Row(typo));
        Assert.Contains(typo.Corrections, c => c.Contains("leading '*'"));
        // "vault.azure.net" is no host: key vaults are <name>.vault.azure.net.
        Assert.Contains(Rows(Seed003), r => r.Destinations.SequenceEqual(["*.vault.azure.net"]) && r.Cloud == AksCloud.AzureCloud && r.Corrections.Count == 1);
    }

    [Fact]
    public void The_first_revision_of_2023_is_read_in_its_own_format()
    {
        var rows = Rows(First);
        // Line 73 (21Vianet): "AzureCloud.Region:1194", the brackets of <Region> missing.
        var tunnel = Assert.Single(rows, r => r.Line == 73);
        Assert.Equal("73 AzureChinaCloud None Udp:1194 * | AzureCloud.{location} | {apiServerAddress}", Row(tunnel));
        Assert.Contains(tunnel.Corrections, c => c.Contains("AzureCloud.Region"));
        // Windows (line 151): two FQDNs in one code span, one rule each, for every cloud.
        Assert.Equal(6, rows.Count(r => r.Line == 151 && r.Feature == AksFeature.Windows));
    }

    [Fact]
    public void What_the_document_adds_removes_and_changes_is_said_with_its_line()
    {
        var text = Revision(Latest)
            .Replace("| **`snapshot.ubuntu.com`** | **`HTTPS:443`** |", "| **`snapshot.ubuntu.com`**, **`archive.example.org`** | **`HTTPS:443`** |")
            .Replace("| **`packages.aks.azure.com`**     | **`HTTPS:443`** |", "| **`packages.example.net`**     | **`HTTPS:443`** |")
            .Replace("| **`CustomDNSIP:53`** `(if using custom DNS servers)`                             | UDP      | 53      |",
                "| **`CustomDNSIP:53`** or **`168.63.129.16:53`**                             | UDP      | 53      |");
        var (_, rows, problems) = EgressDocument.Parse(text, "edited.md");
        Assert.Empty(problems);
        var differences = CatalogComparer.Compare(RuleCatalog.Embedded, rows, new DateTime(2026, 6, 18)).Where(d => d.CloudValue == AksCloud.AzureCloud).Select(d => d.ToString()).ToList();

        Assert.Contains("Added AzureCloud core Https:443 archive.example.org (line 138)", differences);
        Assert.Contains("Added AzureCloud core Https:443 packages.example.net (line 76)", differences);
        Assert.Contains("Removed AzureCloud core Https:443 packages.aks.azure.com [pub.core.packages-aks]", differences);
        Assert.Contains("Changed AzureCloud core Udp:53 {dnsServer} | 168.63.129.16 (was {dnsServer}) [pub.core.dns-udp-53] (line 62)", differences);
        Assert.Equal(4, differences.Count);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("   \n\n", "is empty")]
    [InlineData("<!DOCTYPE html><html><body>Outbound network and FQDN rules</body></html>", "HTML page")]
    [InlineData("# Use a private cluster\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", "has no heading")]
    [InlineData("# Outbound network and FQDN rules for AKS clusters\n\nNo tables any more.\n", "no table of rules")]
    public void A_text_that_is_not_the_document_is_refused_with_what_it_is(string text, string said) =>
        Assert.Contains(said, Assert.Throws<NotTheDocumentException>(() => EgressDocument.Parse(text, "input.md")).Message);

    [Fact]
    public void A_table_whose_columns_changed_and_a_row_that_cannot_be_read_are_problems_with_their_lines()
    {
        var text = Revision(Latest)
            .Replace("| Destination FQDN                 | Port            | Use      |", "| Host                 | Transport            | Use      |")
            .Replace("| **`nvidia.github.io`**                  | **`HTTPS:443`** |", "| **`nvidia.github.io`**                  | **`HTTPS:4430000`** |");
        var (_, rows, problems) = EgressDocument.Parse(text, "edited.md");
        Assert.Equal(
            ["line 67: A table in 'Azure Global required FQDN / application rules' has columns this reader does not know (host, transport, use): expected a destination (FQDN or endpoint) column and a port column.",
             "line 146: An application rule of 'GPU enabled AKS clusters required FQDN / application rules' with port 'HTTPS:4430000': expected HTTPS:443, HTTP:80 or a port number."],
            problems.Select(p => p.ToString()));
        Assert.DoesNotContain(rows, r => r.Destinations.Contains("nvidia.github.io") || r.Destinations.Contains("mcr.microsoft.com") && r.Feature == AksFeature.None && r.Cloud == AksCloud.AzureCloud);
    }
}

/// <summary>An update writes what the document changed as the catalog records every change: a dated amendment.</summary>
public class CatalogUpdateTests
{
    private static readonly DateTime Revised = new(2026, 7, 20, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The latest revision, edited as a later one might be: a recommended FQDN added, packages.aks.azure.com replaced, a DNS alternative.</summary>
    private static string Edited() => EgressDocumentTests.Revision("2026-06-18.1bdcfff99.md")
        .Replace("| **`snapshot.ubuntu.com`** | **`HTTPS:443`** |", "| **`snapshot.ubuntu.com`**, **`archive.example.org`** | **`HTTPS:443`** |")
        .Replace("| **`packages.aks.azure.com`**     | **`HTTPS:443`** |", "| **`packages.example.net`**     | **`HTTPS:443`** |")
        .Replace("| **`CustomDNSIP:53`** `(if using custom DNS servers)`                             | UDP      | 53      |",
            "| **`CustomDNSIP:53`** or **`168.63.129.16:53`**                             | UDP      | 53      |");

    private static (string Yaml, RuleCatalog Catalog, IReadOnlyList<CatalogDifference> Differences) Update()
    {
        var (_, rows, _) = EgressDocument.Parse(Edited(), "edited.md");
        var differences = CatalogComparer.Compare(RuleCatalog.Embedded, rows, Revised);
        var (yaml, catalog) = CatalogUpdate.Apply(RuleCatalog.EmbeddedYaml(), RuleCatalog.Embedded, differences, new DocumentRevision(Revised, "https://example.test/edited.md", "edited.md"), Revised.AddDays(1), "user.yaml");
        return (yaml, catalog, differences);
    }

    [Fact]
    public void The_updated_catalog_states_the_new_revision_from_its_date_and_the_old_rules_before_it()
    {
        var (_, catalog, _) = Update();
        string[] Rows(DateTime asOf, AksCloud cloud = AksCloud.AzureCloud) => RequirementEngine.Query(catalog, new RequirementQuery
        {
            Location = cloud is AksCloud.AzureUSGovernment ? "usgovvirginia" : "westeurope", Cloud = cloud, IncludeOptional = true, AsOf = asOf, DnsServers = [System.Net.IPAddress.Parse("10.0.0.10")],
        }).Rules.Select(r => $"{r.Protocol} {r.Port} {r.Destination}").ToArray();

        var after = Rows(Revised);
        Assert.Contains("Https 443 archive.example.org", after);
        Assert.Contains("Https 443 packages.example.net", after);
        Assert.DoesNotContain("Https 443 packages.aks.azure.com", after);
        Assert.Contains("Udp 53 10.0.0.10", after);

        var before = Rows(Revised.AddDays(-1));
        Assert.Contains("Https 443 packages.aks.azure.com", before);
        Assert.DoesNotContain("Https 443 archive.example.org", before);
        // Azure US Government keeps its own packages.aks.azure.com: only Azure Global's section changed.
        Assert.Contains("Https 443 packages.aks.azure.com", Rows(Revised, AksCloud.AzureUSGovernment));
    }

    [Fact]
    public void The_change_is_dated_named_and_traceable_and_reading_the_revision_again_finds_nothing_more()
    {
        var (yaml, catalog, differences) = Update();
        var amendment = Assert.Single(catalog.Amendments, a => a.Date == Revised);
        Assert.Equal("DOC-2026-07-20", amendment.Id);
        Assert.Equal("https://example.test/edited.md", amendment.Source.Url);
        // archive.example.org is in the recommended rules of every cloud, and the DNS row is the same in the three clouds' sections.
        Assert.Contains("4 added, 1 removed, 3 changed", amendment.Summary);
        Assert.Contains(catalog.Changes, c => c.Date == Revised && c.ToString().Contains("archive.example.org"));
        Assert.Equal(new DateTime(2026, 7, 21), catalog.Published);
        Assert.Contains("published: 2026-07-21", yaml);
        Assert.Contains("# AksEgress rule catalog", yaml); // the base's comments are kept

        var (_, rows, _) = EgressDocument.Parse(Edited(), "edited.md");
        Assert.Empty(CatalogComparer.Compare(catalog, rows, Revised));
        Assert.Equal(8, differences.Count);
    }
}
