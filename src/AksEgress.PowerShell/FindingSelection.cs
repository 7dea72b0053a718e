using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace AksEgress.PowerShell;

/// <summary>
/// -IncludeRule, -ExcludeRule and -Severity, as PSScriptAnalyzer selects its diagnostics: rules by code or name, with
/// wildcards (AKSNP3*, *Dns*); an excluded rule wins over an included one.
/// </summary>
internal static class FindingSelection
{
    public static IEnumerable<T> Select<T>(IEnumerable<T> findings, string[]? include, string[]? exclude, FindingSeverity[]? severities)
        where T : Finding
    {
        var includes = (include ?? []).Select(p => WildcardPattern.Get(p, WildcardOptions.IgnoreCase)).ToList();
        var excludes = (exclude ?? []).Select(p => WildcardPattern.Get(p, WildcardOptions.IgnoreCase)).ToList();
        bool Matches(List<WildcardPattern> patterns, Finding f) => patterns.Any(p => p.IsMatch(f.Code) || p.IsMatch(f.RuleName));
        return findings.Where(f =>
            (includes.Count == 0 || Matches(includes, f))
            && !Matches(excludes, f)
            && (severities is not { Length: > 0 } || severities.Contains(f.SeverityValue)));
    }
}

/// <summary>Completes -IncludeRule and -ExcludeRule with the codes and names of the command's own findings.</summary>
public sealed class DiagnosticRuleCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var area = commandName.IndexOf("NetworkPolicy", StringComparison.OrdinalIgnoreCase) >= 0 ? DiagnosticRules.NetworkPolicyArea : DiagnosticRules.FirewallArea;
        var pattern = WildcardPattern.Get((wordToComplete ?? "").Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
        return DiagnosticRules.All.Where(r => r.Area == area)
            .SelectMany(r => new[] { (Text: r.Code, Rule: r), (Text: r.Name, Rule: r) })
            .Where(x => pattern.IsMatch(x.Text))
            .Select(x => new CompletionResult(x.Text, x.Text, CompletionResultType.ParameterValue, $"{x.Rule.Code} {x.Rule.Name}: {x.Rule.Summary}"))
            .ToList();
    }
}
