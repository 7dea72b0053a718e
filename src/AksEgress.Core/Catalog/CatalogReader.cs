using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AksEgress.Catalog;

/// <summary>
/// Reads a catalog (YAML, or JSON, which YAML includes) and validates it against the documented format
/// (docs/catalog.md). It collects every problem with its line, column and field path instead of stopping at the first.
/// </summary>
internal sealed class CatalogReader
{
    public const int SupportedSchemaVersion = 1;
    internal static readonly string[] Placeholders = ["{location}", "{apiServerAddress}", "{dnsServer}"];

    private static readonly Regex IdPattern = new("^[a-z0-9][a-z0-9.-]*$", RegexOptions.CultureInvariant);
    private static readonly Regex RegionPattern = new("^[a-z][a-z0-9]*$", RegexOptions.CultureInvariant);
    private static readonly Regex HostPattern = new(
        @"^(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?|\{location\})(\.([a-z0-9]([a-z0-9-]*[a-z0-9])?|\{location\}))+$",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
    private static readonly Regex ServiceTagPattern = new(@"^[A-Za-z][A-Za-z0-9]*(\.([A-Za-z0-9]+|\{location\}))?$", RegexOptions.CultureInvariant);
    private static readonly Regex FqdnTagPattern = new("^[A-Za-z][A-Za-z0-9]*$", RegexOptions.CultureInvariant);
    private static readonly Regex PlaceholderPattern = new(@"\{[^}]*\}", RegexOptions.CultureInvariant);

    private readonly string _origin;
    private readonly List<CatalogError> _errors = [];

    public CatalogReader(string origin) => _origin = origin;

    public RuleCatalog Read(TextReader text)
    {
        var stream = YamlLoader.Load(text.ReadToEnd(), out var error);
        if (error is not null)
        {
            throw new CatalogException([new CatalogError(_origin, error.Line, error.Column, "$", error.Message)]);
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode rootNode)
        {
            var at = stream.Documents.Count > 0 ? stream.Documents[0].RootNode : null;
            throw new CatalogException([Error(at, "$", "A catalog is one YAML or JSON document whose top level is a mapping (schemaVersion, catalogVersion, published, sources, clouds, editions, amendments, rules).")]);
        }

        var root = new Fields(this, rootNode, "$", "schemaVersion", "catalogVersion", "published", "sources", "clouds", "editions", "amendments", "rules");
        var schemaVersion = root.Int("schemaVersion", required: true) ?? SupportedSchemaVersion;
        if (schemaVersion != SupportedSchemaVersion)
        {
            Add(root.Node("schemaVersion"), "$.schemaVersion", $"Schema version {schemaVersion} is not supported; this module reads schemaVersion {SupportedSchemaVersion}.");
        }

        var version = root.String("catalogVersion", required: true) ?? "";
        var published = root.Date("published", required: true) ?? default;
        var sources = ReadList(root, "sources", ReadSource);
        var sourcesById = Unique(sources, s => s.Value.Id, "source id");
        var clouds = ReadList(root, "clouds", ReadCloud);
        Unique(clouds, c => c.Value.Name.ToString(), "cloud");
        var editions = ReadList(root, "editions", ReadEdition);
        var editionsByName = Unique(editions, e => e.Value.Name.ToString(), "edition");
        if (!editionsByName.TryGetValue(nameof(CatalogEdition.Current), out var current) || current.Obsolete)
        {
            Add(root.Node("editions") ?? rootNode, "$.editions", "The edition 'Current' must be declared and must not be obsolete.");
        }

        var amendments = ReadList(root, "amendments", (f, p) => ReadAmendment(f, p, sourcesById));
        var amendmentsById = Unique(amendments, a => a.Value.Id, "amendment id");
        var rules = ReadList(root, "rules", (f, p) => ReadRule(f, p, sourcesById, amendmentsById, editionsByName));
        Unique(rules, r => r.Value.Id, "rule id");
        root.RejectUnknown();

        if (_errors.Count > 0)
        {
            throw new CatalogException(_errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ToList());
        }

        return new RuleCatalog(
            _origin, schemaVersion, version, published,
            sources.Select(s => s.Value).ToList(), clouds.Select(c => c.Value).ToList(), editions.Select(e => e.Value).ToList(),
            amendments.Select(a => a.Value).ToList(), rules.Select(r => r.Value).ToList());
    }

    private SourceDocument? ReadSource(Fields f, string path)
    {
        var id = f.String("id", required: true);
        var document = f.String("document", required: true);
        var title = f.String("title", required: true);
        var url = f.String("url");
        return id is null || document is null || title is null ? null : new SourceDocument(id, document, title, url);
    }

    private CloudInfo? ReadCloud(Fields f, string path)
    {
        var name = f.Enum<AksCloud>("name", required: true);
        var regions = new List<string>();
        foreach (var (node, itemPath) in f.Sequence("regions", required: true))
        {
            var region = Scalar(node, itemPath);
            if (region is null)
            {
                continue;
            }

            if (!RegionPattern.IsMatch(region))
            {
                Add(node, itemPath, $"'{region}' is not a region name; write it as Azure does, in lower case without spaces (for example 'westeurope').");
            }
            else if (regions.Contains(region))
            {
                Add(node, itemPath, $"Region '{region}' is listed twice.");
            }
            else
            {
                regions.Add(region);
            }
        }

        return name is null ? null : new CloudInfo(name.Value, regions);
    }

    private EditionInfo? ReadEdition(Fields f, string path)
    {
        var name = f.Enum<CatalogEdition>("name", required: true);
        var obsolete = f.Bool("obsolete") ?? false;
        var documented = f.Date("documented");
        var description = f.String("description");
        return name is null ? null : new EditionInfo(name.Value, obsolete, documented, description);
    }

    private Amendment? ReadAmendment(Fields f, string path, IReadOnlyDictionary<string, SourceDocument> sources)
    {
        var id = f.String("id", required: true);
        var date = f.Date("date", required: true);
        var source = f.Reference("source", sources, "source", required: true);
        var summary = f.String("summary", required: true);
        return id is null || date is null || source is null || summary is null ? null : new Amendment(id, date.Value, source, summary);
    }

    private CatalogRule? ReadRule(
        Fields f, string path, IReadOnlyDictionary<string, SourceDocument> sources,
        IReadOnlyDictionary<string, Amendment> amendments, IReadOnlyDictionary<string, EditionInfo> editions)
    {
        var id = f.String("id", required: true);
        if (id is not null && !IdPattern.IsMatch(id))
        {
            Add(f.Node("id"), path + ".id", $"'{id}' is not a rule id; use lower-case letters, digits, '.' and '-'.");
        }

        var editionName = f.Enum<CatalogEdition>("edition") ?? CatalogEdition.Current;
        editions.TryGetValue(editionName.ToString(), out var edition);
        if (edition is null && f.Node("edition") is { } editionNode)
        {
            Add(editionNode, path + ".edition", $"Edition '{editionName}' is not declared under 'editions'.");
        }

        var clouds = f.Sequence("clouds").Select(x => EnumValue<AksCloud>(x.Node, x.Path)).Where(c => c.HasValue).Select(c => c!.Value).ToList();
        var category = f.Enum<RuleCategory>("category", required: true);
        var feature = f.Enum<AksFeature>("feature") ?? AksFeature.None;
        var access = f.Enum<MonitorAccess>("access");
        var kind = f.Enum<RuleKind>("kind", required: true);
        var protocol = f.Enum<RuleProtocol>("protocol", required: true);
        var port = f.Int("port", required: true);
        var destinations = f.Sequence("destinations", required: true).Select(x => ReadDestination(x.Node, x.Path)).ToList();
        var notWhen = f.Sequence("notWhen").Select(x => EnumValue<ClusterCondition>(x.Node, x.Path)).Where(c => c.HasValue).Select(c => c!.Value).ToList();
        var use = f.String("use", required: true);
        var condition = f.String("condition");
        var note = f.String("note");
        var correction = f.String("correction");
        var introducedBy = f.Reference("introducedBy", amendments, "amendment");
        var retiredBy = f.Reference("retiredBy", amendments, "amendment");
        var ruleSources = f.OneOrMany("source", required: true).Select(x => ReadSourceReference(x.Node, x.Path, sources)).ToList();

        if (category is RuleCategory.Feature != feature is not AksFeature.None && category is not null)
        {
            Add(f.Node("category"), path + ".category", "A rule has category 'Feature' exactly when it names a feature other than 'None'.");
        }

        if (access is not null && feature is not AksFeature.AzureMonitor)
        {
            Add(f.Node("access"), path + ".access", "'access' chooses between the two ways to reach Azure Monitor; only AzureMonitor rules may set it.");
        }

        if (kind is not null && protocol is not null && (kind is RuleKind.Network) != (protocol is RuleProtocol.Tcp or RuleProtocol.Udp))
        {
            Add(f.Node("protocol"), path + ".protocol", kind is RuleKind.Network
                ? $"A Network rule takes protocol Tcp or Udp, not {protocol}."
                : $"An Application rule takes protocol Http or Https, not {protocol}.");
        }

        if (port is < 1 or > 65535)
        {
            Add(f.Node("port"), path + ".port", $"Port {port} is out of range; valid ports are 1 to 65535.");
        }

        var obsolete = edition?.Obsolete ?? false;
        for (var i = 0; i < destinations.Count; i++)
        {
            if (destinations[i] is { } d && kind is not null && !DestinationFitsKind(d.Type, kind.Value, obsolete))
            {
                var node = f.Sequence("destinations").ElementAt(i).Node;
                Add(node, $"{path}.destinations[{i}]", kind is RuleKind.Application
                    ? $"An Application rule's destination is an Fqdn, WildcardFqdn or FqdnTag, not {d.Type}."
                    : $"A Network rule's destination cannot be {d.Type}" + (d.Type is DestinationType.WildcardFqdn ? " (Azure Firewall network rules take no wildcard FQDNs)." : "."));
            }
        }

        if (introducedBy is not null && retiredBy is not null && introducedBy.Date >= retiredBy.Date)
        {
            Add(f.Node("retiredBy"), path + ".retiredBy", $"The rule is retired ({retiredBy.Date:yyyy-MM-dd}) no later than it is introduced ({introducedBy.Date:yyyy-MM-dd}).");
        }

        f.RejectUnknown();
        if (id is null || category is null || kind is null || protocol is null || port is null || use is null
            || destinations.Any(d => d is null) || ruleSources.Any(s => s is null) || destinations.Count == 0 || ruleSources.Count == 0)
        {
            return null;
        }

        return new CatalogRule
        {
            Id = id, Edition = editionName, Clouds = clouds, Category = category.Value, Feature = feature, Access = access,
            Kind = kind.Value, Protocol = protocol.Value, Port = port.Value, Destinations = destinations!, NotWhen = notWhen,
            Use = use, Condition = condition, Note = note, Correction = correction, Sources = ruleSources!,
            IntroducedBy = introducedBy, RetiredBy = retiredBy,
        };
    }

    private static bool DestinationFitsKind(DestinationType type, RuleKind kind, bool obsolete) => kind switch
    {
        RuleKind.Application => type is DestinationType.Fqdn or DestinationType.WildcardFqdn or DestinationType.FqdnTag,
        _ => type is not DestinationType.FqdnTag && (type is not DestinationType.WildcardFqdn || obsolete),
    };

    private SourceReference? ReadSourceReference(YamlNode node, string path, IReadOnlyDictionary<string, SourceDocument> sources)
    {
        if (node is not YamlMappingNode map)
        {
            Add(node, path, "A source is a mapping with 'ref' (a source id) and 'section'.");
            return null;
        }

        var f = new Fields(this, map, path, "ref", "section");
        var document = f.Reference("ref", sources, "source", required: true);
        var section = f.String("section", required: true);
        f.RejectUnknown();
        return document is null || section is null ? null : new SourceReference(document, section);
    }

    private DestinationCandidate? ReadDestination(YamlNode node, string path)
    {
        string? value;
        DestinationType? type;
        if (node is YamlMappingNode map)
        {
            var f = new Fields(this, map, path, "value", "type");
            value = f.String("value", required: true);
            type = f.Enum<DestinationType>("type", required: true);
            f.RejectUnknown();
        }
        else
        {
            value = Scalar(node, path);
            type = value is null ? null : InferType(value);
        }

        if (value is null || type is null)
        {
            return null;
        }

        var problem = DestinationProblem(value, type.Value);
        if (problem is not null)
        {
            Add(node, path, problem);
            return null;
        }

        return new DestinationCandidate(value, type.Value);
    }

    /// <summary>A plain destination string is typed by its form; service and FQDN tags must say what they are.</summary>
    internal static DestinationType InferType(string value) =>
        value == "*" ? DestinationType.Any
        : value.StartsWith("*", StringComparison.Ordinal) ? DestinationType.WildcardFqdn
        : value is "{apiServerAddress}" or "{dnsServer}" || IpNetwork.IsAddress(value) ? DestinationType.IpAddress
        : value.Contains('/') ? DestinationType.Cidr
        : DestinationType.Fqdn;

    private static string? DestinationProblem(string value, DestinationType type)
    {
        foreach (Match m in PlaceholderPattern.Matches(value))
        {
            if (!Placeholders.Contains(m.Value))
            {
                return $"Unknown placeholder '{m.Value}' in '{value}'; known placeholders are {string.Join(", ", Placeholders)}.";
            }
        }

        return type switch
        {
            DestinationType.Any when value != "*" => $"A destination of type Any is written '*', not '{value}'.",
            DestinationType.Fqdn when value.StartsWith("*", StringComparison.Ordinal) || !HostPattern.IsMatch(value) =>
                $"'{value}' is not a host name (letters, digits and '-' in dot-separated labels; '{{location}}' may stand for a label).",
            DestinationType.WildcardFqdn when !value.StartsWith("*.", StringComparison.Ordinal) || !HostPattern.IsMatch(value) =>
                $"'{value}' is not a wildcard host name such as '*.example.com'.",
            DestinationType.IpAddress when value is not ("{apiServerAddress}" or "{dnsServer}") && !IpNetwork.IsAddress(value) =>
                $"'{value}' is not an IP address (or one of the placeholders {{apiServerAddress}}, {{dnsServer}}).",
            DestinationType.Cidr when IpNetwork.Parse(value) is null => $"'{value}' is not a CIDR block such as '10.0.0.0/16'.",
            DestinationType.ServiceTag when !ServiceTagPattern.IsMatch(value) => $"'{value}' is not a service tag such as 'AzureMonitor' or 'AzureCloud.{{location}}'.",
            DestinationType.FqdnTag when !FqdnTagPattern.IsMatch(value) => $"'{value}' is not an FQDN tag such as 'AzureKubernetesService'.",
            _ => null,
        };
    }

    private List<(T Value, YamlNode Node)> ReadList<T>(Fields parent, string key, Func<Fields, string, T?> read)
        where T : class
    {
        var list = new List<(T, YamlNode)>();
        foreach (var (node, path) in parent.Sequence(key, required: true))
        {
            if (node is not YamlMappingNode map)
            {
                Add(node, path, $"Each entry of '{key}' is a mapping.");
                continue;
            }

            if (read(new Fields(this, map, path), path) is { } value)
            {
                list.Add((value, node));
            }
        }

        return list;
    }

    private Dictionary<string, T> Unique<T>(List<(T Value, YamlNode Node)> items, Func<(T Value, YamlNode Node), string> key, string what)
    {
        var seen = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var k = key(item);
            if (seen.ContainsKey(k))
            {
                Add(item.Node, "$", $"Duplicate {what} '{k}'; each must be unique.");
            }
            else
            {
                seen[k] = item.Value;
            }
        }

        return seen;
    }

    private string? Scalar(YamlNode node, string path)
    {
        if (node is YamlScalarNode { Value: { } value })
        {
            return value;
        }

        Add(node, path, "Expected a single value here, not a list or mapping.");
        return null;
    }

    private T? EnumValue<T>(YamlNode node, string path)
        where T : struct, Enum
    {
        var text = Scalar(node, path);
        if (text is null)
        {
            return null;
        }

        if (Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(typeof(T), value) && !char.IsDigit(text[0]))
        {
            return value;
        }

        Add(node, path, $"'{text}' is not valid here; valid values are {string.Join(", ", Enum.GetNames(typeof(T)))}.");
        return null;
    }

    private CatalogError Error(YamlNode? node, string path, string message) =>
        new(_origin, node is null ? 1 : (int)node.Start.Line, node is null ? 1 : (int)node.Start.Column, path, message);

    private void Add(YamlNode? node, string path, string message) => _errors.Add(Error(node, path, message));

    /// <summary>The fields of one mapping: typed reads that record errors, and a check that no unknown key is present.</summary>
    private sealed class Fields
    {
        private readonly CatalogReader _reader;
        private readonly YamlMappingNode _map;
        private readonly string _path;
        private readonly HashSet<string> _read = new(StringComparer.Ordinal);
        private readonly string[]? _allowed;

        public Fields(CatalogReader reader, YamlMappingNode map, string path, params string[] allowed)
        {
            _reader = reader;
            _map = map;
            _path = path;
            _allowed = allowed.Length > 0 ? allowed : null;
        }

        public YamlNode? Node(string key)
        {
            _read.Add(key);
            return _map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;
        }

        private YamlNode? Get(string key, bool required)
        {
            var node = Node(key);
            if (node is null && required)
            {
                _reader.Add(_map, _path, $"Required field '{key}' is missing.");
            }

            return node;
        }

        private string Path(string key) => _path + "." + key;

        public string? String(string key, bool required = false) => Get(key, required) is { } n ? _reader.Scalar(n, Path(key)) : null;

        public int? Int(string key, bool required = false)
        {
            var text = String(key, required);
            if (text is null)
            {
                return null;
            }

            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            _reader.Add(Node(key), Path(key), $"'{text}' is not a whole number.");
            return null;
        }

        public bool? Bool(string key)
        {
            var text = String(key);
            if (text is null)
            {
                return null;
            }

            if (bool.TryParse(text, out var value))
            {
                return value;
            }

            _reader.Add(Node(key), Path(key), $"'{text}' is not true or false.");
            return null;
        }

        public DateTime? Date(string key, bool required = false)
        {
            var text = String(key, required);
            if (text is null)
            {
                return null;
            }

            if (DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var value))
            {
                return DateTime.SpecifyKind(value, DateTimeKind.Utc);
            }

            _reader.Add(Node(key), Path(key), $"'{text}' is not a date written yyyy-MM-dd.");
            return null;
        }

        public T? Enum<T>(string key, bool required = false)
            where T : struct, System.Enum =>
            Get(key, required) is { } n ? _reader.EnumValue<T>(n, Path(key)) : null;

        public T? Reference<T>(string key, IReadOnlyDictionary<string, T> targets, string what, bool required = false)
            where T : class
        {
            var text = String(key, required);
            if (text is null)
            {
                return null;
            }

            if (targets.TryGetValue(text, out var target))
            {
                return target;
            }

            _reader.Add(Node(key), Path(key), $"No {what} has id '{text}'; known: {(targets.Count == 0 ? "none" : string.Join(", ", targets.Keys))}.");
            return null;
        }

        public IEnumerable<(YamlNode Node, string Path)> Sequence(string key, bool required = false)
        {
            var node = Get(key, required);
            if (node is null)
            {
                return [];
            }

            if (node is YamlSequenceNode seq)
            {
                return seq.Children.Select((child, i) => (child, $"{Path(key)}[{i}]"));
            }

            _reader.Add(node, Path(key), $"'{key}' is a list.");
            return [];
        }

        /// <summary>A field that holds one mapping or a list of them.</summary>
        public IEnumerable<(YamlNode Node, string Path)> OneOrMany(string key, bool required = false) =>
            Node(key) is YamlMappingNode single ? [(single, Path(key))] : Sequence(key, required);

        public void RejectUnknown()
        {
            foreach (var entry in _map.Children)
            {
                var key = (entry.Key as YamlScalarNode)?.Value ?? "?";
                if (!_read.Contains(key) && (_allowed is null || !_allowed.Contains(key)))
                {
                    _reader.Add(entry.Key, Path(key), $"Unknown field '{key}'." + Suggestion(key));
                }
            }
        }

        private string Suggestion(string key)
        {
            var known = _allowed ?? _read.ToArray();
            var best = known.OrderBy(k => Text.EditDistance(k, key)).FirstOrDefault();
            return best is not null && Text.EditDistance(best, key) <= 3 ? $" Did you mean '{best}'?" : $" Valid fields here: {string.Join(", ", known)}.";
        }
    }
}
