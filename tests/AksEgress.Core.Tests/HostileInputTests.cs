using System.Diagnostics;
using AksEgress.Catalog;
using AksEgress.NetworkPolicy;

namespace AksEgress.Core.Tests;

/// <summary>
/// Inputs built to hurt (issue 13's reproductions): each is refused with a positioned finding or error, in this process,
/// which would not survive a stack overflow or an endless expansion.
/// </summary>
public class HostileInputTests
{
    private static NetworkPolicyFinding SingleReadingError(string text)
    {
        var set = ManifestReader.Read(text, "hostile.yaml");
        var finding = Assert.Single(set.Findings);
        Assert.Equal((FindingCodes.InvalidManifest, "Error"), (finding.Code, finding.Severity));
        Assert.Empty(set.Policies);
        return finding;
    }

    [Fact]
    public void A_list_whose_items_alias_the_list_itself_is_a_cycle_not_an_endless_recursion()
    {
        // 45 bytes: the alias *x stands inside the node anchored &x.
        var finding = SingleReadingError("&x {apiVersion: v1, kind: List, items: [*x]}");
        Assert.Contains("refers to a node that contains it", finding.Message);
        Assert.Equal((1, 41), (finding.Line, finding.Column)); // 40 characters stand before the alias
    }

    [Theory]
    [InlineData("[")]
    [InlineData("{\"a\": ")]
    [InlineData("- ")]
    public void Nesting_fifty_thousand_levels_deep_is_refused_at_the_level_where_it_goes_too_deep(string level)
    {
        var text = string.Concat(Enumerable.Repeat(level, 50_000));
        var finding = SingleReadingError(text);
        Assert.Contains("nests deeper than 128 levels", finding.Message);
    }

    [Fact]
    public void Aliases_that_multiply_the_document_are_refused()
    {
        // Each level is ten aliases of the one before: 10^9 nodes from a few hundred bytes ("billion laughs").
        var lines = new List<string> { "a0: &a0 [x, x, x, x, x, x, x, x, x, x]" };
        for (var i = 1; i <= 9; i++)
        {
            lines.Add($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 10))}]");
        }

        var finding = SingleReadingError(string.Join("\n", lines));
        Assert.Contains("aliases expand to more than", finding.Message);
    }

    [Fact]
    public void An_alias_as_a_mapping_key_and_a_list_as_a_key_are_refused()
    {
        Assert.Contains("cannot be a mapping key", SingleReadingError("k: &k {a: b}\nm: {*k : v}").Message);
        Assert.Contains("must be a plain value", SingleReadingError("? [a, b]\n: v").Message);
    }

    [Theory]
    // YAML 1.2 §7.1: an alias node refers to the most recent preceding node with that anchor; none is an error.
    [InlineData("apiVersion: v1\nkind: Pod\nmetadata: { name: a, labels: *nothere }\nspec: { containers: [] }\n", 3)]
    [InlineData("apiVersion: v1\nkind: List\nitems:\n- { apiVersion: v1, kind: Pod, metadata: { name: a, labels: *nothere }, spec: { containers: [] } }\n", 4)]
    [InlineData("apiVersion: v1\nkind: List\nitems:\n- { apiVersion: v1, kind: Pod, metadata: { name: a, labels: *later } }\n- { apiVersion: v1, kind: Pod, metadata: { name: b, labels: &later { app: b } } }\n", 4)]
    public void An_alias_to_no_anchor_before_it_is_an_error_at_its_line(string text, int line)
    {
        var error = SingleReadingError(text);
        Assert.Contains("refers to no anchor", error.Message);
        Assert.Equal(line, error.Line);
        var catalog = Assert.Throws<CatalogException>(() => RuleCatalog.Load(new StringReader("schemaVersion: 1\nrules: *none\n"), "alias.yaml"));
        Assert.Contains("alias.yaml:2:", catalog.Message);
        Assert.Contains("refers to no anchor (&none) before it", catalog.Message);
    }

    [Fact]
    public void Anchors_and_aliases_within_the_limits_are_read()
    {
        // Anchors live within one document (YAML 1.2 §3.2.2.2): two namespaces of one List share their labels.
        var text = "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Namespace, metadata: {name: demo, labels: &l {team: a}}}\n- {apiVersion: v1, kind: Namespace, metadata: {name: other, labels: *l}}";
        var set = ManifestReader.Read(text, "anchors.yaml");
        Assert.Empty(set.Findings);
        Assert.Equal(["demo", "other"], set.Namespaces.Select(n => n.Name));
        Assert.Equal("a", set.Namespaces[1].Labels["team"]);
    }

    [Fact]
    public void A_catalog_file_nested_too_deep_is_an_invalid_catalog_with_its_position()
    {
        var error = Assert.Throws<CatalogException>(() => RuleCatalog.Load(new StringReader(string.Concat(Enumerable.Repeat("[", 50_000))), "deep.json"));
        Assert.Contains("deep.json:1:129: $: the document nests deeper than 128 levels", error.Message);
    }

    [Fact]
    public void A_file_larger_than_the_limit_is_not_read_whole()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, new string('a', 2048));
            Assert.Contains("larger than", Assert.Throws<IOException>(() => TextFile.Read(path, 1024)).Message);
            Assert.Equal(2048, TextFile.Read(path, 4096).Length);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_link_to_a_device_is_refused_and_a_fifo_reads_as_empty_instead_of_blocking()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // no /dev/zero, no mkfifo
        }

        var folder = Directory.CreateTempSubdirectory().FullName;
        try
        {
            var zero = Path.Combine(folder, "zero.yaml");
            File.CreateSymbolicLink(zero, "/dev/zero");
            Assert.Contains("not a regular file", Assert.Throws<IOException>(() => TextFile.Read(zero)).Message);

            var fifo = Path.Combine(folder, "fifo.yaml");
            using (var mkfifo = Process.Start("mkfifo", fifo))
            {
                mkfifo.WaitForExit();
            }

            // Opened non-blocking, a FIFO with no writer is at its end at once.
            Assert.Equal("", TextFile.Read(fifo));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

/// <summary>Policy files of unexpected shapes: a precise InvalidPolicyFile or NotAFirewallPolicy, never a raw exception (issue 13, item 11).</summary>
public class OddPolicyFileTests
{
    [Theory]
    [InlineData("{\"type\": 5}", "InvalidPolicyFile")]
    [InlineData("{\"resources\": [{\"type\": 5}]}", "InvalidPolicyFile")]
    [InlineData("{\"resources\": [{\"type\": \"Microsoft.Network/firewallPolicies\", \"properties\": {\"dnsSettings\": {\"enableProxy\": \"yes\"}}}]}", "InvalidPolicyFile")]
    [InlineData("{\"properties\": {\"ruleCollections\": [{\"rules\": [{\"ruleType\": 7}]}]}}", "InvalidPolicyFile")]
    [InlineData("{\"resources\": 5}", "NotAFirewallPolicy")]
    [InlineData("[]", "NotAFirewallPolicy")]
    [InlineData("null", "NotAFirewallPolicy")]
    [InlineData("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[", "InvalidPolicyFile")]
    public void An_odd_policy_file_is_refused_with_an_error_id(string json, string errorId) =>
        Assert.Equal(errorId, Assert.Throws<AksEgress.Firewall.FirewallPlanException>(() => AksEgress.Firewall.Coverage.FirewallPolicyDocument.Parse(json, "odd.json")).ErrorId);
}
