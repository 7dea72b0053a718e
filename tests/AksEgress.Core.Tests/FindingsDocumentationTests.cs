using System.Text.RegularExpressions;
using AksEgress.Diagnostics;

namespace AksEgress.Core.Tests;

/// <summary>docs/findings.md and the registry of rules say the same (as PSScriptAnalyzer keeps its rule docs in step).</summary>
public class FindingsDocumentationTests
{
    private static readonly string Document = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "findings.md"));

    internal static string RepositoryRoot()
    {
        var folder = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(folder, "Module.sln")))
        {
            folder = Path.GetDirectoryName(folder) ?? throw new InvalidOperationException("Module.sln not found above the test folder.");
        }

        return folder;
    }

    private static List<(string Code, string Name, string Severity)> Rows() =>
        Regex.Matches(Document, @"^\| (AKS[A-Z]+\d+) \| (\w+) \| ([A-Za-z /]+) \|", RegexOptions.Multiline)
            .Select(m => (m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value.Trim())).ToList();

    [Fact]
    public void Every_rule_of_the_registry_is_documented_once_with_its_name_and_severities_and_nothing_else_is()
    {
        var documented = Rows();
        Assert.Equal(documented.Count, documented.Select(r => r.Code).Distinct().Count());
        Assert.Equal(
            DiagnosticRules.All.Select(r => (r.Code, r.Name, string.Join(" / ", r.Severities))).OrderBy(r => r.Code, StringComparer.Ordinal),
            documented.OrderBy(r => r.Code, StringComparer.Ordinal));
    }

    [Fact]
    public void Every_code_the_engine_raises_has_a_rule()
    {
        var constants = typeof(AksEgress.NetworkPolicy.FindingCodes).GetFields().Select(f => (string)f.GetValue(null)!)
            .Concat([DiagnosticRules.StaleRule, DiagnosticRules.AnyDestination, DiagnosticRules.AnySource, DiagnosticRules.StaleDestination, DiagnosticRules.InvalidCatalogEntry,
                AksEgress.Firewall.Coverage.EgressPathCheck.OutboundNotThroughFirewall, AksEgress.Firewall.Coverage.EgressPathCheck.NoRouteTable,
                AksEgress.Firewall.Coverage.EgressPathCheck.DefaultRouteElsewhere, AksEgress.Firewall.Coverage.EgressPathCheck.EgressPathUnknown]);
        Assert.All(constants, code => Assert.NotNull(DiagnosticRules.Find(code)));
    }
}
