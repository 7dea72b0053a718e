using System.Globalization;
using System.Text.RegularExpressions;

namespace AksEgress.Catalog.Import;

/// <summary>One rule of the document: a table row, for one cloud, with its destinations (alternatives for a network rule).</summary>
public sealed record DocumentRow(int Line, string Section, AksCloud Cloud, AksFeature Feature, RuleKind Kind, RuleProtocol Protocol, int Port, IReadOnlyList<string> Destinations, string Use)
{
    /// <summary>Feature for a feature's section; Recommended under the optional recommended rules; else Required.</summary>
    public RuleCategory Category { get; init; } = Feature is AksFeature.None ? RuleCategory.Required : RuleCategory.Feature;

    /// <summary>Known errors of the document this row had, and how they were read (".data.mcr.microsoft.com" as "*.data.mcr.microsoft.com").</summary>
    public IReadOnlyList<string> Corrections { get; init; } = [];

    public override string ToString() => $"{Cloud} {(Feature is AksFeature.None ? "core" : Feature.ToString())} {Protocol}:{Port} {string.Join(" | ", Destinations)} (line {Line})";
}

/// <summary>A row or table of the document that could not be read, with its line.</summary>
public sealed record DocumentProblem(int Line, string Message)
{
    public override string ToString() => $"line {Line}: {Message}";
}

/// <summary>The error of a text that is not the document at all (empty, HTML, another page); nothing is read from it.</summary>
public sealed class NotTheDocumentException(string message) : Exception(message);

/// <summary>
/// Reads "Outbound network and FQDN rules for Azure Kubernetes Service (AKS) clusters"
/// (MicrosoftDocs/azure-aks-docs, articles/aks/outbound-rules-control-egress.md) in every table format it has had since
/// it was created in 2023: network tables (Destination Endpoint | Protocol | Port | Use) and application tables
/// (Destination FQDN | Port | Use, or Endpoint | Purpose | Port); alternatives joined by &lt;br/&gt;, "Or", "or" and
/// commas; per-cloud annotations such as "(Azure Government)"; the placeholders &lt;location&gt;, &lt;region&gt;,
/// &lt;Region&gt; and &lt;cluster-region-name&gt;; and its known typos, read as corrections.
/// </summary>
public static class EgressDocument
{
    public const string Title = "Outbound network and FQDN rules for Azure Kubernetes Service (AKS) clusters";
    public const string RawUrl = "https://raw.githubusercontent.com/MicrosoftDocs/azure-aks-docs/main/articles/aks/outbound-rules-control-egress.md";
    public const string PageUrl = "https://learn.microsoft.com/azure/aks/outbound-rules-control-egress";

    private static readonly AksCloud[] AllClouds = [AksCloud.AzureCloud, AksCloud.AzureChinaCloud, AksCloud.AzureUSGovernment];
    private static readonly Regex Token = new(@"`([^`]+)`\**\s*(\((?:Azure[^)]*|[^)]*21Vianet[^)]*)\))?", RegexOptions.CultureInvariant);
    private static readonly Regex Placeholder = new(@"<(?:location|region|Region|cluster-region-name)>|\\<location\\>", RegexOptions.CultureInvariant);

    /// <summary>The document's rows and the rows it could not read; NotTheDocumentException for a text that is not the document.</summary>
    public static (DateTime? Date, IReadOnlyList<DocumentRow> Rows, IReadOnlyList<DocumentProblem> Problems) Parse(string markdown, string source)
    {
        var text = markdown.Replace("\r\n", "\n").Replace('\r', '\n');
        if (text.Trim().Length == 0)
        {
            throw new NotTheDocumentException($"{source} is empty: it is not the AKS egress document.");
        }

        if (Regex.IsMatch(text.TrimStart(), @"^(<!DOCTYPE|<html)", RegexOptions.IgnoreCase))
        {
            throw new NotTheDocumentException($"{source} is an HTML page: give the document's markdown ({RawUrl}), not the page on learn.microsoft.com.");
        }

        var lines = text.Split('\n');
        if (!lines.Any(l => l.StartsWith("# ", StringComparison.Ordinal) && l.IndexOf("Outbound network and FQDN rules", StringComparison.OrdinalIgnoreCase) >= 0))
        {
            throw new NotTheDocumentException($"{source} is not the AKS egress document: it has no heading '# {Title}'. Give {RawUrl}, or a copy of it.");
        }

        DateTime? date = lines.Select(l => Regex.Match(l, @"^ms\.date:\s*(\d{2}/\d{2}/\d{4})")).FirstOrDefault(m => m.Success) is { } dateLine
            && DateTime.TryParseExact(dateLine.Groups[1].Value, "MM/dd/yyyy", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d) ? d : null;

        var rows = new List<DocumentRow>();
        var problems = new List<DocumentProblem>();
        var tables = Tables(lines, problems);
        foreach (var table in tables)
        {
            // A table under no cloud's heading is for every cloud, unless its feature has tables of named clouds beside it
            // (then it is Azure public's, as "Azure Policy required FQDN" beside "... operated by 21Vianet required FQDN").
            var feature = FeatureOf(table.Chain);
            var cloud = CloudOf(table.Chain)
                ?? (feature is not AksFeature.None && tables.Any(t => t != table && FeatureOf(t.Chain) == feature && (t.Protocol >= 0) == (table.Protocol >= 0) && CloudOf(t.Chain) is not null)
                    ? AksCloud.AzureCloud : null);
            // A row wholly of a sovereign cloud's domains ("*.vault.usgovcloudapi.net") makes the table's unmarked rows Azure public's.
            var sovereignRows = table.Rows.Any(r => r.Cells.Count > table.Destination && Token.Matches(r.Cells[table.Destination]).Cast<Match>() is var tokens
                && tokens.Any() && tokens.All(m => !m.Groups[2].Success && SovereignCloud(m.Groups[1].Value.Trim()) is not null));
            foreach (var (line, cells) in table.Rows)
            {
                if (cells.Count < Math.Max(table.Destination, table.Port) + 1)
                {
                    problems.Add(new(line, $"A row of '{table.Section}' has {cells.Count} cells where the table has {table.Columns}."));
                    continue;
                }

                var recommended = feature is AksFeature.None && table.Chain.Any(h => h.IndexOf("recommended", StringComparison.OrdinalIgnoreCase) >= 0);
                rows.AddRange(ReadRow(cells[table.Destination], table.Protocol >= 0 ? cells.ElementAtOrDefault(table.Protocol) : null, cells[table.Port],
                    table.Use >= 0 ? cells.ElementAtOrDefault(table.Use) ?? "" : "", line, table.Section, cloud, feature, sovereignRows, problems)
                    .Select(r => recommended ? r with { Category = RuleCategory.Recommended } : r));
            }
        }

        rows.AddRange(KeyVaultReferences(lines, rows));

        if (rows.Count == 0 && problems.Count == 0)
        {
            throw new NotTheDocumentException($"{source} has the document's title but no table of rules: it is not a revision this reader knows.");
        }

        return (date, rows, problems);
    }

    private sealed record Table(List<string> Chain, string Section, int Columns, int Destination, int Protocol, int Port, int Use, List<(int Line, List<string> Cells)> Rows);

    /// <summary>The document's tables of rules, each with the headings above it; a table whose columns are not known is a problem.</summary>
    private static List<Table> Tables(string[] lines, List<DocumentProblem> problems)
    {
        var tables = new List<Table>();
        var headings = new string[7];
        for (var i = 0; i < lines.Length; i++)
        {
            if (Regex.Match(lines[i], @"^(#{1,6})\s+(.*)$") is { Success: true } heading)
            {
                var level = heading.Groups[1].Length;
                headings[level] = heading.Groups[2].Value.Trim();
                for (var deeper = level + 1; deeper < headings.Length; deeper++)
                {
                    headings[deeper] = "";
                }

                continue;
            }

            if (!IsTableHeader(lines, i))
            {
                continue;
            }

            var chain = headings.Skip(2).Where(h => !string.IsNullOrEmpty(h)).ToList();
            var section = chain.LastOrDefault() ?? "";
            var columns = Cells(lines[i]).Select(c => c.ToLowerInvariant()).ToList();
            int Column(params string[] names) => columns.FindIndex(c => names.Any(n => c.Contains(n)));
            var header = i + 1;
            var body = new List<(int, List<string>)>();
            for (i += 2; i < lines.Length && lines[i].TrimStart().StartsWith("|", StringComparison.Ordinal); i++)
            {
                body.Add((i + 1, Cells(lines[i])));
            }

            i--;
            var (destination, port) = (Column("destination", "fqdn", "endpoint"), Column("port"));
            if (destination < 0 || port < 0)
            {
                problems.Add(new(header, $"A table in '{section}' has columns this reader does not know ({string.Join(", ", columns)}): expected a destination (FQDN or endpoint) column and a port column."));
                continue;
            }

            tables.Add(new Table(chain, section, columns.Count, destination, Column("protocol"), port, Column("use", "purpose"), body));
        }

        return tables;
    }

    /// <summary>
    /// The add-ons whose section has no table but sends you to the Key Vault rules ("Outbound network requirements for
    /// Azure Key Vault provider for Secrets Store CSI Driver can be found [here][akv-outbound]"): Istio (with a plug-in
    /// CA or secure ingress gateways) and application routing (certificates in Key Vault). They get those rules, as theirs.
    /// </summary>
    private static IEnumerable<DocumentRow> KeyVaultReferences(string[] lines, List<DocumentRow> rows)
    {
        (string Pattern, AksFeature Feature)[] addons = [("Istio", AksFeature.Istio), ("Application routing", AksFeature.ApplicationRouting)];
        for (var i = 0; i < lines.Length; i++)
        {
            if (Regex.Match(lines[i], @"^#{2,6}\s+(.*)$") is not { Success: true } heading
                || addons.FirstOrDefault(a => Regex.IsMatch(heading.Groups[1].Value, a.Pattern, RegexOptions.IgnoreCase)) is not { Pattern: not null } addon)
            {
                continue;
            }

            var body = string.Join("\n", lines.Skip(i + 1).TakeWhile(l => !l.StartsWith("#", StringComparison.Ordinal)));
            if (!Regex.IsMatch(body, @"\[akv-outbound\]|#azure-key-vault-provider-for-secrets-store-csi-driver", RegexOptions.IgnoreCase))
            {
                continue;
            }

            foreach (var keyVault in rows.Where(r => r.Feature is AksFeature.CsiSecretStore).ToList())
            {
                yield return keyVault with
                {
                    Line = i + 1, Section = heading.Groups[1].Value.Trim(), Feature = addon.Feature, Category = RuleCategory.Feature,
                    Use = $"{(addon.Feature is AksFeature.Istio ? "With a plug-in CA or secure ingress gateways" : "With TLS certificates in Azure Key Vault")}, the add-on reaches Azure Key Vault (the rules of the Key Vault provider for Secrets Store CSI Driver).",
                };
            }
        }
    }

    private static bool IsTableHeader(string[] lines, int i) =>
        lines[i].TrimStart().StartsWith("|", StringComparison.Ordinal) && i + 1 < lines.Length && Regex.IsMatch(lines[i + 1].Trim(), @"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$");

    private static List<string> Cells(string line)
    {
        var trimmed = line.Trim();
        if (trimmed.StartsWith("|", StringComparison.Ordinal))
        {
            trimmed = trimmed.Substring(1);
        }

        if (trimmed.EndsWith("|", StringComparison.Ordinal))
        {
            trimmed = trimmed.Substring(0, trimmed.Length - 1);
        }

        return trimmed.Split('|').Select(c => c.Trim()).ToList();
    }

    private static IEnumerable<DocumentRow> ReadRow(string destinationCell, string? protocolCell, string portCell, string use, int line, string section,
        AksCloud? sectionCloud, AksFeature feature, bool sovereignRows, List<DocumentProblem> problems)
    {
        var kind = protocolCell is null ? RuleKind.Application : RuleKind.Network;
        RuleProtocol protocol;
        int port;
        var portText = Regex.Replace(portCell, @"[*`\s]", "");
        if (kind is RuleKind.Network)
        {
            var protocolText = Regex.Replace(protocolCell!, @"[*`]", "").Trim();
            if (!Enum.TryParse(protocolText, ignoreCase: true, out protocol) || protocol is not (RuleProtocol.Tcp or RuleProtocol.Udp)
                || !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port))
            {
                problems.Add(new(line, $"A network rule of '{section}' with protocol '{protocolText}' and port '{portText}': expected TCP or UDP and a port number."));
                yield break;
            }
        }
        else if (Regex.Match(portText, @"^(?:(HTTPS?):)?(\d{1,5})$", RegexOptions.IgnoreCase) is { Success: true } p)
        {
            port = int.Parse(p.Groups[2].Value, CultureInfo.InvariantCulture);
            protocol = p.Groups[1].Success ? (p.Groups[1].Value.Length == 5 ? RuleProtocol.Https : RuleProtocol.Http) : port == 80 ? RuleProtocol.Http : RuleProtocol.Https;
        }
        else
        {
            problems.Add(new(line, $"An application rule of '{section}' with port '{portText}': expected HTTPS:443, HTTP:80 or a port number."));
            yield break;
        }

        var corrections = new List<string>();
        var destinations = new List<(string Value, AksCloud? Cloud)>();
        foreach (Match token in Token.Matches(destinationCell))
        {
            AksCloud? annotated = token.Groups[2].Success ? CloudOf([token.Groups[2].Value]) : null;
            foreach (var part in token.Groups[1].Value.Split(','))
            {
                if (Destination(part.Trim(), kind, port, corrections) is { } value)
                {
                    destinations.Add((value, annotated));
                }
            }
        }

        if (destinations.Count == 0)
        {
            if (!Regex.IsMatch(destinationCell, "RegionCIDRs", RegexOptions.IgnoreCase))
            {
                problems.Add(new(line, $"A row of '{section}' names no destination this reader understands: {destinationCell}"));
            }

            yield break;
        }

        var cleanUse = Regex.Replace(Regex.Replace(use, @"\[([^\]]*)\]\[[^\]]*\]|\[([^\]]*)\]\([^)]*\)", "$1$2"), @"[*`\\]", "").Trim();
        var annotatedRow = sovereignRows || destinations.Any(d => d.Cloud is not null || SovereignCloud(d.Value) is not null);
        IEnumerable<(string Value, AksCloud Cloud)> PerCloud()
        {
            foreach (var (value, cloud) in destinations)
            {
                // A section of one cloud; else the destination's annotation; else, beside annotated ones, Azure public;
                // else a sovereign domain names its cloud (workload identity lists the three clouds' login endpoints with "or").
                var clouds = sectionCloud is { } s ? [s]
                    : cloud is { } c ? [c]
                    : SovereignCloud(value) is { } sovereign ? [sovereign]
                    : annotatedRow ? [AksCloud.AzureCloud]
                    : AllClouds;
                foreach (var each in clouds)
                {
                    yield return (value, each);
                }
            }
        }

        foreach (var group in PerCloud().GroupBy(d => d.Cloud))
        {
            var values = group.Select(g => g.Value).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (kind is RuleKind.Network)
            {
                yield return new DocumentRow(line, section, group.Key, feature, kind, protocol, port, values, cleanUse) { Corrections = corrections };
            }
            else
            {
                foreach (var value in values)
                {
                    yield return new DocumentRow(line, section, group.Key, feature, kind, protocol, port, [value], cleanUse) { Corrections = corrections };
                }
            }
        }
    }

    /// <summary>A destination as the catalog writes it: placeholders as {location}, {apiServerAddress}, {dnsServer}; null for one that cannot be a rule (RegionCIDRs).</summary>
    private static string? Destination(string token, RuleKind kind, int port, List<string> corrections)
    {
        var value = token.Trim().Trim('*').Length == 0 && token.Contains('*') ? "*" : token.Trim();
        if (kind is RuleKind.Network && value.EndsWith(":" + port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal))
        {
            value = value.Substring(0, value.LastIndexOf(':'));
        }

        if (value.StartsWith("(", StringComparison.Ordinal) || value.Length == 0)
        {
            return null; // an aside in backticks: "(only known after cluster creation)"
        }

        switch (value)
        {
            case "RegionCIDRs":
                return null;
            case "APIServerPublicIP":
                return "{apiServerAddress}";
            case "CustomDNSIP":
                return "{dnsServer}";
            case "vault.azure.net":
                corrections.Add("'vault.azure.net' read as '*.vault.azure.net': key vaults are <name>.vault.azure.net, as the Azure Government row (*.vault.usgovcloudapi.net) shows");
                return "*.vault.azure.net";
            case "AzureCloud.Region":
                corrections.Add("'AzureCloud.Region' read as the service tag AzureCloud.<Region>");
                return "AzureCloud.{location}";
        }

        if (value.StartsWith(".", StringComparison.Ordinal))
        {
            corrections.Add($"'{value}' read as '*{value}' (the leading '*' is missing)");
            value = "*" + value;
        }

        value = Placeholder.Replace(value, "{location}");
        return Regex.IsMatch(value, @"^[A-Za-z0-9*{][A-Za-z0-9.*{}\-]*$") ? value : null;
    }

    private static AksCloud? CloudOf(IEnumerable<string> texts)
    {
        foreach (var text in texts.Reverse())
        {
            if (Regex.IsMatch(text, "21Vianet|China", RegexOptions.IgnoreCase))
            {
                return AksCloud.AzureChinaCloud;
            }

            if (Regex.IsMatch(text, "US Government|Azure Government", RegexOptions.IgnoreCase))
            {
                return AksCloud.AzureUSGovernment;
            }

            if (Regex.IsMatch(text, "Azure Global|Azure public", RegexOptions.IgnoreCase))
            {
                return AksCloud.AzureCloud;
            }
        }

        return null;
    }

    private static AksCloud? SovereignCloud(string destination) =>
        destination.EndsWith(".cn", StringComparison.OrdinalIgnoreCase) ? AksCloud.AzureChinaCloud
        : destination.EndsWith(".us", StringComparison.OrdinalIgnoreCase) || destination.EndsWith(".usgovcloudapi.net", StringComparison.OrdinalIgnoreCase) ? AksCloud.AzureUSGovernment
        : null;

    /// <summary>The feature a section is about, from its headings (deepest first); None for the core and optional rules.</summary>
    private static AksFeature FeatureOf(IEnumerable<string> chain)
    {
        (string Pattern, AksFeature Feature)[] features =
        [
            ("GPU", AksFeature.Gpu), ("Windows", AksFeature.Windows), ("Defender", AksFeature.Defender),
            ("Secret(s)? Store|Key ?Vault", AksFeature.CsiSecretStore), ("Azure Monitor|Container insights", AksFeature.AzureMonitor),
            ("Azure Policy", AksFeature.AzurePolicy), ("cost analysis", AksFeature.CostAnalysis), ("Cluster extensions", AksFeature.ClusterExtensions),
            ("Workload identity", AksFeature.WorkloadIdentity),
        ];
        foreach (var heading in chain.Reverse())
        {
            foreach (var (pattern, feature) in features)
            {
                if (Regex.IsMatch(heading, pattern, RegexOptions.IgnoreCase))
                {
                    return feature;
                }
            }
        }

        return AksFeature.None;
    }
}
