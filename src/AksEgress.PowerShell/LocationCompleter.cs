using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using AksEgress.Catalog;

namespace AksEgress.PowerShell;

/// <summary>Completes -Location with the regions of the cloud already given with -Cloud (Azure public by default).</summary>
public sealed class LocationCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var cloud = AksCloud.AzureCloud;
        if (fakeBoundParameters.Contains("Cloud") && fakeBoundParameters["Cloud"] is { } bound)
        {
            Enum.TryParse(bound.ToString(), ignoreCase: true, out cloud);
        }

        var typed = (wordToComplete ?? "").Trim('\'', '"');
        var pattern = WildcardPattern.Get(typed + "*", WildcardOptions.IgnoreCase);
        var regions = RuleCatalog.Embedded.FindCloud(cloud)?.Regions ?? [];
        return regions
            .Where(r => pattern.IsMatch(r))
            .Select(r => new CompletionResult(r, r, CompletionResultType.ParameterValue, $"{r} ({cloud})"))
            .ToList();
    }
}
