using AksEgress.Catalog;

namespace AksEgress.Core.Tests;

/// <summary>A user catalog (-CatalogPath) is validated like the embedded one; every problem names line, column and field.</summary>
public class CatalogReaderTests
{
    // Line numbers in the tests below count from the first line of this text.
    private const string Header = """
        schemaVersion: 1
        catalogVersion: "t.1"
        published: 2026-01-01
        sources:
          - { id: doc, document: doc.txt, title: A document }
        clouds:
          - { name: AzureCloud, regions: [westeurope] }
        editions:
          - { name: Current }
        amendments: []
        rules:
        """;

    private static RuleCatalog Load(string rules) => RuleCatalog.Load(new StringReader(Header + "\n" + rules), "my.yaml");

    private static CatalogError SingleError(string rules) => Assert.Single(Assert.Throws<CatalogException>(() => Load(rules)).Errors);

    private const string ValidRule = """
          - id: my.rule
            category: Required
            kind: Application
            protocol: Https
            port: 443
            destinations: ["*.hcp.{location}.azmk8s.io"]
            use: Something.
            source: { ref: doc, section: S }
        """;

    [Fact]
    public void A_valid_catalog_loads_and_answers_queries()
    {
        var catalog = Load(ValidRule);
        var rule = Assert.Single(catalog.Rules);
        Assert.Equal(("my.rule", DestinationType.WildcardFqdn), (rule.Id, rule.Destinations[0].Type));
        Assert.Equal("my.yaml", catalog.Origin);
    }

    [Fact]
    public void A_catalog_written_in_json_loads_too()
    {
        const string json = """
            { "schemaVersion": 1, "catalogVersion": "j.1", "published": "2026-01-01",
              "sources": [ { "id": "doc", "document": "doc.txt", "title": "T" } ],
              "clouds": [ { "name": "AzureCloud", "regions": [ "westeurope" ] } ],
              "editions": [ { "name": "Current" } ], "amendments": [],
              "rules": [ { "id": "r", "category": "Required", "kind": "Network", "protocol": "Udp", "port": 1194,
                           "destinations": [ { "value": "AzureCloud.{location}", "type": "ServiceTag" } ],
                           "use": "Tunnel.", "source": { "ref": "doc", "section": "S" } } ] }
            """;
        var rule = Assert.Single(RuleCatalog.Load(new StringReader(json), "my.json").Rules);
        Assert.Equal(DestinationType.ServiceTag, rule.Destinations[0].Type);
    }

    [Fact]
    public void A_misspelt_field_is_reported_at_its_line_with_the_field_it_probably_meant()
    {
        var errors = Assert.Throws<CatalogException>(() => Load(ValidRule.Replace("destinations:", "destination:"))).Errors;
        Assert.Contains(errors, e => e.Message == "Required field 'destinations' is missing.");
        var error = errors.Single(e => e.Message.StartsWith("Unknown field"));
        Assert.Equal(("my.yaml", 17, 5), (error.File, error.Line, error.Column));
        Assert.Equal("$.rules[0].destination", error.Path);
        Assert.Contains("Did you mean 'destinations'", error.Message);
    }

    [Fact]
    public void A_port_out_of_range_names_the_valid_range()
    {
        var error = SingleError(ValidRule.Replace("port: 443", "port: 70000"));
        Assert.Equal((16, "$.rules[0].port"), (error.Line, error.Path));
        Assert.Contains("1 to 65535", error.Message);
    }

    [Fact]
    public void An_application_rule_cannot_use_a_network_protocol_or_a_service_tag()
    {
        var errors = Assert.Throws<CatalogException>(() => Load(ValidRule
            .Replace("protocol: Https", "protocol: Tcp")
            .Replace("""["*.hcp.{location}.azmk8s.io"]""", """[{ value: AzureMonitor, type: ServiceTag }]"""))).Errors;
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Path == "$.rules[0].protocol" && e.Message.Contains("Http or Https"));
        Assert.Contains(errors, e => e.Path == "$.rules[0].destinations[0]" && e.Message.Contains("not ServiceTag"));
    }

    [Fact]
    public void A_wildcard_fqdn_in_a_current_network_rule_is_rejected_because_azure_firewall_rejects_it()
    {
        var error = SingleError(ValidRule.Replace("kind: Application", "kind: Network").Replace("protocol: Https", "protocol: Tcp"));
        Assert.Contains("no wildcard FQDNs", error.Message);
    }

    [Theory]
    [InlineData("{region}", "Unknown placeholder '{region}'")]
    [InlineData("not a host", "is not a host name")]
    public void A_destination_that_is_not_what_its_type_says_is_rejected(string destination, string message) =>
        Assert.Contains(message, SingleError(ValidRule.Replace("\"*.hcp.{location}.azmk8s.io\"", $"\"{destination}\"")).Message);

    [Fact]
    public void An_unknown_enum_value_lists_the_valid_values()
    {
        var error = SingleError(ValidRule.Replace("category: Required", "category: Mandatory"));
        Assert.Equal("$.rules[0].category", error.Path);
        Assert.Contains("Required, Feature, Recommended, Optional", error.Message);
    }

    [Fact]
    public void References_to_undeclared_sources_and_duplicate_ids_are_errors()
    {
        Assert.Contains("No source has id 'nodoc'; known: doc", SingleError(ValidRule.Replace("ref: doc", "ref: nodoc")).Message);
        var duplicate = SingleError(ValidRule + "\n" + ValidRule);
        Assert.Equal((20, "Duplicate rule id 'my.rule'; each must be unique."), (duplicate.Line, duplicate.Message));
    }

    [Fact]
    public void Missing_required_fields_are_each_reported()
    {
        var errors = Assert.Throws<CatalogException>(() => Load("  - { id: r }")).Errors;
        foreach (var field in new[] { "category", "kind", "protocol", "port", "destinations", "use", "source" })
        {
            Assert.Contains(errors, e => e.Message == $"Required field '{field}' is missing." && e.Line == 12);
        }
    }

    [Fact]
    public void Malformed_yaml_is_reported_with_its_position()
    {
        var ex = Assert.Throws<CatalogException>(() => RuleCatalog.Load(new StringReader("schemaVersion: 1\nrules: [ { id: x\n"), "bad.yaml"));
        var error = Assert.Single(ex.Errors);
        Assert.Equal("bad.yaml", error.File);
        Assert.True(error.Line >= 2, $"line {error.Line}");
    }

    [Fact]
    public void An_unsupported_schema_version_is_refused()
    {
        var ex = Assert.Throws<CatalogException>(() => RuleCatalog.Load(new StringReader(Header.Replace("schemaVersion: 1", "schemaVersion: 2") + "\n" + ValidRule), "v2.yaml"));
        Assert.Contains(ex.Errors, e => e.Path == "$.schemaVersion" && e.Message.Contains("schemaVersion 1"));
    }

    [Fact]
    public void A_document_that_is_not_a_mapping_is_refused() =>
        Assert.Contains("top level is a mapping", Assert.Throws<CatalogException>(() => RuleCatalog.Load(new StringReader("- a\n- b\n"), "list.yaml")).Errors[0].Message);
}
