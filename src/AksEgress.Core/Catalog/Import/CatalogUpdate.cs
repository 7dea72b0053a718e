using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace AksEgress.Catalog.Import;

/// <summary>The revision of the document an update takes its rules from.</summary>
public sealed record DocumentRevision(DateTime Date, string Url, string Origin);

/// <summary>
/// Writes what the document changed into a catalog, as the catalog records every change: a source for the revision, a
/// dated amendment (DOC-yyyy-MM-dd), new rules introduced by it, and the rules it no longer has retired by it (a
/// changed network rule is both). The text of the catalog in use is kept as it is otherwise (its comments, its order),
/// and the result is read back by the same strict reader as any catalog before anyone may write it.
/// </summary>
public static class CatalogUpdate
{
    public static (string Yaml, RuleCatalog Catalog) Apply(string baseYaml, RuleCatalog baseCatalog, IReadOnlyList<CatalogDifference> differences, DocumentRevision revision, DateTime today, string origin)
    {
        var date = revision.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var sourceId = Unique($"doc{revision.Date:yyyyMMdd}", id => baseCatalog.Sources.Any(s => s.Id == id));
        var amendmentId = Unique($"DOC-{date}", id => baseCatalog.Amendments.Any(a => a.Id == id));
        var ids = new HashSet<string>(baseCatalog.Rules.Select(r => r.Id), StringComparer.Ordinal);
        var yaml = baseYaml.Replace("\r\n", "\n");

        var added = new List<string>();
        var retire = new HashSet<string>(StringComparer.Ordinal);
        foreach (var difference in differences)
        {
            if (difference.Change is "Removed" or "Changed" && difference.RuleId is { } oldId && retire.Add(oldId))
            {
                var old = baseCatalog.Rules.First(r => r.Id == oldId);
                // A rule of several clouds that one cloud's section no longer has stays, as a new rule, for the others.
                var others = new[] { AksCloud.AzureCloud, AksCloud.AzureChinaCloud, AksCloud.AzureUSGovernment }
                    .Where(c => old.AppliesTo(c) && !differences.Any(d => d.RuleId == old.Id && d.CloudValue == c)).ToList();
                if (others.Count > 0 && old.RetiredBy is null)
                {
                    var copy = Unique($"{old.Id}-{revision.Date:yyyyMMdd}", ids.Contains);
                    ids.Add(copy);
                    added.Add(Rule(old with { Id = copy, Clouds = others }, amendmentId, null, null));
                }
            }

            if (difference.Change is "Added" or "Changed")
            {
                var id = Unique(RuleId(difference), ids.Contains);
                ids.Add(id);
                var rule = new CatalogRule
                {
                    Id = id, Clouds = [difference.CloudValue], Category = difference.CategoryValue, Feature = difference.FeatureValue,
                    Access = difference.FeatureValue is AksFeature.AzureMonitor ? (difference.KindValue is RuleKind.Network ? MonitorAccess.ServiceTag : MonitorAccess.Fqdn) : null,
                    Kind = difference.KindValue, Protocol = difference.ProtocolValue, Port = difference.Port,
                    Destinations = difference.Destination.Select(d => new DestinationCandidate(d, DestinationTypeOf(d) ?? CatalogReader.InferType(d))).ToList(),
                    Use = string.IsNullOrWhiteSpace(difference.Use) ? "As the document states it." : difference.Use!,
                    Sources = [],
                };
                added.Add(Rule(rule, amendmentId, sourceId, difference.Section ?? ""));
            }
        }

        foreach (var id in retire.Where(id => baseCatalog.Rules.First(r => r.Id == id).RetiredBy is null))
        {
            yaml = Retire(yaml, id, amendmentId);
        }

        var summary = $"The document of {date} ({revision.Url}): {differences.Count(d => d.Change == "Added")} added, {differences.Count(d => d.Change == "Removed")} removed, {differences.Count(d => d.Change == "Changed")} changed, per cloud; written by Update-AksEgressCatalog on {today:yyyy-MM-dd}.";
        yaml = Insert(yaml, "clouds:", $"""
              - id: {sourceId}
                document: {Quote($"Outbound network and FQDN rules for AKS clusters ({date})")}
                title: {Quote($"{EgressDocument.Title}, revision of {date}")}
                url: {Quote(revision.Url)}

            """);
        yaml = Insert(yaml, "rules:", $"""
              - id: {amendmentId}
                date: {date}
                source: {sourceId}
                summary: {Quote(summary)}

            """);
        yaml = Regex.Replace(yaml, @"(?m)^catalogVersion:.*$", $"catalogVersion: {Quote($"{baseCatalog.Version}+doc.{revision.Date:yyyyMMdd}")}");
        yaml = Regex.Replace(yaml, @"(?m)^published:.*$", $"published: {today:yyyy-MM-dd}");
        yaml = yaml.TrimEnd('\n') + "\n\n  # ---------------------------------------------------------------- " + amendmentId + " (Update-AksEgressCatalog)\n" + string.Concat(added);

        // Read back by the strict reader: a catalog that does not validate is never handed out.
        try
        {
            return (yaml, RuleCatalog.Load(new StringReader(yaml), origin));
        }
        catch (CatalogException ex)
        {
            throw new InvalidOperationException($"The updated catalog does not validate, so nothing is written: {ex.Message}", ex);
        }
    }

    private static string Unique(string id, Func<string, bool> taken)
    {
        var candidate = id;
        for (var n = 2; taken(candidate); n++)
        {
            candidate = $"{id}-{n}";
        }

        return candidate;
    }

    private static string RuleId(CatalogDifference d)
    {
        var cloud = d.CloudValue switch { AksCloud.AzureChinaCloud => "cn", AksCloud.AzureUSGovernment => "gov", _ => "pub" };
        var feature = d.FeatureValue is AksFeature.None ? "core" : d.Feature.ToLowerInvariant();
        var slug = Regex.Replace(d.Destination[0].ToLowerInvariant().Replace("*", "any").Replace("{", "").Replace("}", ""), "[^a-z0-9]+", "-").Trim('-');
        return $"{cloud}.{feature}.{(slug.Length == 0 ? "rule" : slug)}";
    }

    private static DestinationType? DestinationTypeOf(string value) =>
        value.StartsWith("AzureCloud", StringComparison.Ordinal) || (value != "*" && !value.Contains('.') && !value.StartsWith("{", StringComparison.Ordinal))
            ? DestinationType.ServiceTag : null;

    /// <summary>A rule in the catalog's flow style, on as few lines as it reads well.</summary>
    private static string Rule(CatalogRule rule, string introducedBy, string? sourceId, string? section)
    {
        var text = new StringBuilder();
        text.Append($"  - {{ id: {rule.Id}");
        if (rule.Clouds.Count > 0)
        {
            text.Append($", clouds: [{string.Join(", ", rule.Clouds)}]");
        }

        text.Append($", category: {rule.Category}");
        if (rule.Feature is not AksFeature.None)
        {
            text.Append($", feature: {rule.Feature}");
        }

        if (rule.Access is { } access)
        {
            text.Append($", access: {access}");
        }

        text.Append($", kind: {rule.Kind}, protocol: {rule.Protocol}, port: {rule.Port},\n      destinations: [");
        text.Append(string.Join(", ", rule.Destinations.Select(d => d.Type == CatalogReader.InferType(d.Value) ? Quote(d.Value) : $"{{ value: {Quote(d.Value)}, type: {d.Type} }}")));
        text.Append($"], use: {Quote(rule.Use)}");
        if (rule.NotWhen.Count > 0)
        {
            text.Append($", notWhen: [{string.Join(", ", rule.NotWhen)}]");
        }

        foreach (var (key, value) in new[] { ("condition", rule.Condition), ("note", rule.Note), ("correction", rule.Correction) })
        {
            if (value is not null)
            {
                text.Append($",\n      {key}: {Quote(value)}");
            }
        }

        text.Append($", introducedBy: {introducedBy},\n      source: ");
        var sources = sourceId is not null
            ? [$"{{ ref: {sourceId}, section: {Quote(section!)} }}"]
            : rule.Sources.Select(s => $"{{ ref: {s.Document.Id}, section: {Quote(s.Section)} }}").ToList();
        text.Append(sources.Count == 1 ? sources[0] : $"[{string.Join(", ", sources)}]");
        text.Append(" }\n");
        return text.ToString();
    }

    /// <summary>Adds retiredBy to the rule with <paramref name="id"/>, in either style the catalog writes rules in.</summary>
    private static string Retire(string yaml, string id, string amendmentId)
    {
        var flow = new Regex($@"(?m)^(\s*-\s*\{{\s*id:\s*""?{Regex.Escape(id)}""?\s*,)");
        if (flow.IsMatch(yaml))
        {
            return flow.Replace(yaml, $"$1 retiredBy: {amendmentId},", 1);
        }

        var block = new Regex($@"(?m)^(\s*)-(\s+)id:\s*""?{Regex.Escape(id)}""?\s*$");
        var match = block.Match(yaml);
        if (!match.Success)
        {
            throw new InvalidOperationException($"Rule {id} is not written in a form this update can amend; nothing is written.");
        }

        var indent = new string(' ', match.Groups[1].Value.Length + 1 + match.Groups[2].Value.Length);
        return yaml.Insert(match.Index + match.Length, $"\n{indent}retiredBy: {amendmentId}");
    }

    /// <summary>Inserts <paramref name="text"/> just before the top-level key <paramref name="key"/> (the end of the list before it).</summary>
    private static string Insert(string yaml, string key, string text)
    {
        var at = Regex.Match(yaml, $@"(?m)^{Regex.Escape(key)}\s*$");
        if (!at.Success)
        {
            throw new InvalidOperationException($"The catalog has no top-level '{key}'; nothing is written.");
        }

        return yaml.Insert(at.Index, text.Replace("\r\n", "\n"));
    }

    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", " ") + "\"";
}
