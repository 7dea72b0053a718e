using System.Globalization;
using System.Net;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using static AksEgress.NetworkPolicy.FindingCodes;

namespace AksEgress.NetworkPolicy;

/// <summary>
/// Reads Kubernetes manifests (YAML, several documents, or JSON; <c>kind: List</c> as kubectl prints it). NetworkPolicies
/// are validated as the API server validates them; Pods, Namespaces and the pod templates of workloads are collected
/// for reachability; other kinds are skipped and named. Nothing here throws on bad input: it becomes a finding.
/// </summary>
public sealed class ManifestReader
{
    private static readonly string[] WorkloadKinds = ["Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob"];
    private static readonly string[] SpecFields = ["podSelector", "policyTypes", "ingress", "egress"];
    private static readonly string[] IngressFields = ["from", "ports"];
    private static readonly string[] EgressFields = ["to", "ports"];
    private static readonly string[] PeerFields = ["podSelector", "namespaceSelector", "ipBlock"];
    private static readonly string[] PortFields = ["protocol", "port", "endPort"];
    private static readonly string[] SelectorFields = ["matchLabels", "matchExpressions"];
    private static readonly string[] ExpressionFields = ["key", "operator", "values"];
    private static readonly string[] IpBlockFields = ["cidr", "except"];

    private readonly string _file;
    private readonly List<NetworkPolicyFinding> _findings = [];
    private readonly List<KubernetesNetworkPolicy> _policies = [];
    private readonly List<WorkloadPod> _pods = [];
    private readonly List<NamespaceInfo> _namespaces = [];
    private readonly List<string> _skipped = [];
    private string? _policyId;

    private ManifestReader(string file) => _file = file;

    /// <param name="cancellationToken">Checked at each item of a List, and every few thousand YAML events.</param>
    /// <param name="progress">Told, every thousand items of a List, how far into the text reading has come (0 to 1).</param>
    public static ManifestSet Read(string text, string file, CancellationToken cancellationToken = default, Action<double>? progress = null)
    {
        var reader = new ManifestReader(file);
        if (!reader.ReadItemByItem(text, cancellationToken, progress))
        {
            reader = new ManifestReader(file);
            reader.ReadWhole(text, cancellationToken);
        }

        return new ManifestSet(reader._policies, reader._pods, reader._namespaces, reader._findings, reader._skipped);
    }

    /// <summary>
    /// A kubectl dump's items are read as they are parsed, before the root that lists them is complete (kubectl's JSON
    /// writes items before kind): what they gave is kept when the root turns out to be a List, and taken back otherwise.
    /// False when the text must be read whole.
    /// </summary>
    private bool ReadItemByItem(string text, CancellationToken cancellationToken, Action<double>? progress)
    {
        var kept = Counts();
        var items = 0;
        var whole = !YamlLoader.TryLoadItemByItem(
            text,
            parser => new ManifestPruning(parser),
            onItem: item =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (++items % 1000 == 0)
                {
                    progress?.Invoke(Math.Min(1, (double)item.Start.Index / Math.Max(1, text.Length)));
                }

                if (item is YamlMappingNode map)
                {
                    ReadObject(map);
                }
            },
            onRoot: root =>
            {
                if (root is not YamlMappingNode map || Scalar(Child(map, "kind")) != "List")
                {
                    TakeBack(kept);
                }

                ReadRoot(root);
                kept = Counts();
            },
            out var error,
            cancellationToken);
        if (!whole && error is not null)
        {
            TakeBack((0, 0, 0, 0, 0));
            InvalidText(error);
        }

        return !whole;
    }

    private void ReadWhole(string text, CancellationToken cancellationToken)
    {
        var stream = YamlLoader.Load(text, out var error, cancellationToken: cancellationToken, prune: parser => new ManifestPruning(parser));
        if (error is not null)
        {
            InvalidText(error);
            return;
        }

        foreach (var document in stream.Documents)
        {
            ReadRoot(document.RootNode);
        }
    }

    private (int, int, int, int, int) Counts() => (_findings.Count, _policies.Count, _pods.Count, _namespaces.Count, _skipped.Count);

    private void TakeBack((int Findings, int Policies, int Pods, int Namespaces, int Skipped) counts)
    {
        _findings.RemoveRange(counts.Findings, _findings.Count - counts.Findings);
        _policies.RemoveRange(counts.Policies, _policies.Count - counts.Policies);
        _pods.RemoveRange(counts.Pods, _pods.Count - counts.Pods);
        _namespaces.RemoveRange(counts.Namespaces, _namespaces.Count - counts.Namespaces);
        _skipped.RemoveRange(counts.Skipped, _skipped.Count - counts.Skipped);
    }

    private void InvalidText(YamlSyntaxError error) => _findings.Add(new NetworkPolicyFinding
    {
        SeverityValue = FindingSeverity.Error, Code = InvalidManifest, File = _file, Line = error.Line, Column = error.Column,
        Message = $"The file is not valid YAML or JSON: {error.Message}",
    });

    private void ReadRoot(YamlNode root)
    {
        if (root is YamlMappingNode map)
        {
            ReadObject(map);
        }
        else if (root is not YamlScalarNode { Value: null or "" })
        {
            Error(root, null, InvalidManifest, "A manifest is a mapping with apiVersion, kind and metadata.");
        }
    }

    private void ReadObject(YamlMappingNode node)
    {
        var kind = Scalar(Child(node, "kind"));
        var apiVersion = Scalar(Child(node, "apiVersion"));
        var name = Scalar(Child(Child(node, "metadata"), "name")) ?? "";
        switch (kind)
        {
            case "List":
                foreach (var item in (Child(node, "items") as YamlSequenceNode)?.Children ?? [])
                {
                    if (item is YamlMappingNode map)
                    {
                        ReadObject(map);
                    }
                }

                return;
            case "NetworkPolicy" when apiVersion == "networking.k8s.io/v1":
                ReadPolicy(node);
                return;
            case "NetworkPolicy":
                Error(Child(node, "apiVersion") ?? node, null, UnknownApiVersion, $"NetworkPolicy {name} has apiVersion '{apiVersion}'; only networking.k8s.io/v1 is read. It was not checked.");
                return;
            case "Namespace" when apiVersion == "v1":
                var namespaceValid = true;
                var namespaceLabels = ReadLabels(Child(Child(node, "metadata"), "labels"), "metadata.labels", ref namespaceValid);
                if (namespaceValid)
                {
                    _namespaces.Add(new NamespaceInfo(name, WithNameLabel(namespaceLabels, name)));
                }

                return;
            case "Pod" when apiVersion == "v1":
                AddPod(node, "Pod", Child(node, "metadata"), Child(node, "spec"), Scalar(Child(Child(node, "status"), "podIP")));
                return;
            case not null when WorkloadKinds.Contains(kind) && apiVersion == (kind is "Job" or "CronJob" ? "batch/v1" : "apps/v1"):
                var template = kind == "CronJob" ? Child(Child(Child(Child(node, "spec"), "jobTemplate"), "spec"), "template") : Child(Child(node, "spec"), "template");
                AddPod(node, kind, Child(node, "metadata"), Child(template, "spec"), null, Child(template, "metadata"));
                return;
            case not null when WorkloadKinds.Contains(kind) || kind is "Pod" or "Namespace":
                Warning(Child(node, "apiVersion") ?? node, null, UnknownApiVersion, $"{kind} {name} has apiVersion '{apiVersion}', which is not read; it was skipped.");
                return;
            default:
                _skipped.Add($"{_file}:{node.Start.Line}: {kind ?? "(no kind)"} {name}");
                return;
        }
    }

    private void AddPod(YamlMappingNode node, string kind, YamlNode? metadata, YamlNode? spec, string? ip, YamlNode? templateMetadata = null)
    {
        var ports = new List<ContainerPort>();
        foreach (var container in (Child(spec, "containers") as YamlSequenceNode)?.Children ?? [])
        {
            foreach (var port in (Child(container, "ports") as YamlSequenceNode)?.Children ?? [])
            {
                if (int.TryParse(Scalar(Child(port, "containerPort")), NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                {
                    ports.Add(new ContainerPort(Scalar(Child(port, "name")), number, Scalar(Child(port, "protocol")) ?? "TCP"));
                }
            }
        }

        // A workload the API server could not decode is left out, said as an error, rather than read with defaults.
        var valid = true;
        var ns = Value(Child(metadata, "namespace"), "metadata.namespace", ref valid) ?? "default";
        var name = Value(Child(metadata, "name"), "metadata.name", ref valid) ?? "";
        var labels = ReadLabels(Child(templateMetadata ?? metadata, "labels"), templateMetadata is null ? "metadata.labels" : "spec.template.metadata.labels", ref valid);
        if (!valid)
        {
            return;
        }

        _pods.Add(new WorkloadPod
        {
            Namespace = ns,
            Name = name,
            Kind = kind,
            Workload = $"{ns}/{WorkloadOf(kind, name, metadata, labels)}",
            Labels = labels,
            Ports = ports,
            HostNetwork = Scalar(Child(spec, "hostNetwork")) == "true",
            Ip = ip is not null && IPAddress.TryParse(ip, out var address) ? address : null,
            Source = Span(node),
        });
    }

    /// <summary>"Kind/name" of the workload a pod belongs to, from its first controller owner reference (see <see cref="WorkloadPod.Workload"/>).</summary>
    private static string WorkloadOf(string kind, string name, YamlNode? metadata, IReadOnlyDictionary<string, string> labels)
    {
        if (kind != "Pod")
        {
            return $"{kind}/{name}";
        }

        var owners = (Child(metadata, "ownerReferences") as YamlSequenceNode)?.Children ?? [];
        var owner = owners.FirstOrDefault(o => Scalar(Child(o, "controller")) == "true") ?? owners.FirstOrDefault();
        var ownerKind = Scalar(Child(owner, "kind"));
        var ownerName = Scalar(Child(owner, "name"));
        if (ownerKind is null || string.IsNullOrEmpty(ownerName))
        {
            return $"Pod/{name}";
        }

        // A Deployment's ReplicaSet is "<deployment>-<pod-template-hash>".
        if (ownerKind == "ReplicaSet" && labels.TryGetValue("pod-template-hash", out var hash) && ownerName!.EndsWith("-" + hash, StringComparison.Ordinal))
        {
            return $"Deployment/{ownerName.Substring(0, ownerName.Length - hash.Length - 1)}";
        }

        return $"{ownerKind}/{ownerName}";
    }

    private void ReadPolicy(YamlMappingNode node)
    {
        var metadata = Child(node, "metadata");
        var metadataValid = true;
        var name = Value(Child(metadata, "name"), "metadata.name", ref metadataValid);
        var ns = Value(Child(metadata, "namespace"), "metadata.namespace", ref metadataValid) ?? "default";
        _policyId = $"{ns}/{name}";
        if (!metadataValid)
        {
            _policyId = null;
            return; // the API server could not decode it: not a policy at all
        }

        if (string.IsNullOrEmpty(name))
        {
            Error(metadata ?? node, "metadata.name", InvalidName, "metadata.name is required.");
        }
        else if (KubernetesNames.DnsSubdomain(name!) is { } nameProblem)
        {
            Error(Child(metadata, "name")!, "metadata.name", InvalidName, $"Invalid value '{name}': {nameProblem}.");
        }

        if (Child(metadata, "namespace") is { } nsNode && KubernetesNames.DnsLabel(ns) is { } nsProblem)
        {
            Error(nsNode, "metadata.namespace", InvalidNamespace, $"Invalid value '{ns}': {nsProblem}.");
        }

        var spec = Child(node, "spec") as YamlMappingNode;
        if (spec is null)
        {
            Error(node, "spec", InvalidValueType, "spec is required and must be a mapping.");
            return;
        }

        CheckFields(spec, "spec", SpecFields);
        var podSelector = ReadSelector(Child(spec, "podSelector"), "spec.podSelector") ?? LabelSelector.Everything;
        var ingress = ReadRules(Child(spec, "ingress"), "spec.ingress", "from", IngressFields);
        var egress = ReadRules(Child(spec, "egress"), "spec.egress", "to", EgressFields);
        var types = ReadPolicyTypes(Child(spec, "policyTypes"));
        _policies.Add(new KubernetesNetworkPolicy
        {
            Namespace = ns,
            Name = name ?? "",
            PodSelector = podSelector,
            PolicyTypes = types,
            IsolatesIngress = types.Count == 0 || types.Contains("Ingress"),
            IsolatesEgress = types.Count == 0 ? egress.Count > 0 : types.Contains("Egress"),
            Ingress = ingress,
            Egress = egress,
            Source = Span(node),
        });
        _policyId = null;
    }

    private List<string> ReadPolicyTypes(YamlNode? node)
    {
        var types = new List<string>();
        if (node is null)
        {
            return types;
        }

        var items = Sequence(node, "spec.policyTypes");
        if (items.Count > 2)
        {
            Error(node, "spec.policyTypes", TooManyPolicyTypes, "may not specify more than two policyTypes.");
            return types;
        }

        for (var i = 0; i < items.Count; i++)
        {
            var type = Scalar(items[i]);
            if (type is "Ingress" or "Egress")
            {
                types.Add(type);
            }
            else
            {
                Error(items[i], $"spec.policyTypes[{i}]", InvalidPolicyType, $"Unsupported value '{type}': supported values are \"Ingress\", \"Egress\".");
            }
        }

        return types;
    }

    private List<PolicyRule> ReadRules(YamlNode? node, string path, string peersField, string[] fields)
    {
        var rules = new List<PolicyRule>();
        if (node is null)
        {
            return rules;
        }

        var items = Sequence(node, path);
        for (var i = 0; i < items.Count; i++)
        {
            var rulePath = $"{path}[{i}]";
            if (items[i] is not YamlMappingNode rule)
            {
                Error(items[i], rulePath, InvalidValueType, "A rule is a mapping (use {} to allow everything).");
                continue;
            }

            CheckFields(rule, rulePath, fields);
            var peers = new List<PolicyPeer>();
            var peerItems = Child(rule, peersField) is { } peersNode ? Sequence(peersNode, $"{rulePath}.{peersField}") : [];
            for (var p = 0; p < peerItems.Count; p++)
            {
                if (ReadPeer(peerItems[p], $"{rulePath}.{peersField}[{p}]") is { } peer)
                {
                    peers.Add(peer);
                }
            }

            var ports = new List<PolicyPort>();
            var portItems = Child(rule, "ports") is { } portsNode ? Sequence(portsNode, $"{rulePath}.ports") : [];
            for (var p = 0; p < portItems.Count; p++)
            {
                if (ReadPort(portItems[p], $"{rulePath}.ports[{p}]") is { } port)
                {
                    ports.Add(port);
                }
            }

            // A rule whose every peer (or port) was invalid must not widen to "all peers" (or "all ports").
            if ((peerItems.Count > 0 && peers.Count == 0) || (portItems.Count > 0 && ports.Count == 0))
            {
                continue;
            }

            rules.Add(new PolicyRule(peers, ports));
        }

        return rules;
    }

    private PolicyPeer? ReadPeer(YamlNode node, string path)
    {
        if (node is not YamlMappingNode peer)
        {
            Error(node, path, InvalidValueType, "A peer is a mapping with podSelector, namespaceSelector or ipBlock.");
            return null;
        }

        CheckFields(peer, path, PeerFields);
        var podNode = Child(peer, "podSelector");
        var nsNode = Child(peer, "namespaceSelector");
        var ipNode = Child(peer, "ipBlock");
        var count = (podNode is null ? 0 : 1) + (nsNode is null ? 0 : 1) + (ipNode is null ? 0 : 1);
        if (count == 0)
        {
            Error(node, path, EmptyPeer, "must specify a peer: podSelector, namespaceSelector or ipBlock.");
            return null;
        }

        if (count > 1 && ipNode is not null)
        {
            Error(node, path, IpBlockWithSelector, "may not specify both ipBlock and another peer; put them in separate peers.");
            return null;
        }

        var pods = ReadSelector(podNode, path + ".podSelector");
        var namespaces = ReadSelector(nsNode, path + ".namespaceSelector");
        var ipBlock = ipNode is null ? null : ReadIpBlock(ipNode, path + ".ipBlock");
        if ((podNode is not null && pods is null) || (nsNode is not null && namespaces is null) || (ipNode is not null && ipBlock is null))
        {
            return null;
        }

        return new PolicyPeer(pods, namespaces, ipBlock) { Source = Span(node), Path = path };
    }

    private IpBlock? ReadIpBlock(YamlNode node, string path)
    {
        CheckFields(node as YamlMappingNode, path, IpBlockFields);
        var cidrNode = Child(node, "cidr");
        var cidrText = Scalar(cidrNode);
        if (string.IsNullOrEmpty(cidrText))
        {
            Error(node, path + ".cidr", InvalidCidr, "cidr is required.");
            return null;
        }

        if (IpNetwork.Parse(cidrText!) is not { } cidr)
        {
            Error(cidrNode!, path + ".cidr", InvalidCidr, $"Invalid value '{cidrText}': must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64).");
            return null;
        }

        var except = new List<IpNetwork>();
        var items = Child(node, "except") is { } exceptNode ? Sequence(exceptNode, path + ".except") : [];
        var valid = true;
        for (var i = 0; i < items.Count; i++)
        {
            var text = Scalar(items[i]);
            if (text is null || IpNetwork.Parse(text) is not { } block)
            {
                Error(items[i], $"{path}.except[{i}]", InvalidCidr, $"Invalid value '{text}': must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64).");
                valid = false;
            }
            else if (!cidr.StrictlyContains(block))
            {
                Error(items[i], $"{path}.except[{i}]", ExceptNotInCidr, $"Invalid value '{text}': must be a strict subset of `cidr` ({cidrText}).");
                valid = false;
            }
            else
            {
                except.Add(block);
            }
        }

        return valid ? new IpBlock(cidr, except) : null;
    }

    private PolicyPort? ReadPort(YamlNode node, string path)
    {
        if (node is not YamlMappingNode port)
        {
            Error(node, path, InvalidValueType, "A port is a mapping with protocol, port and endPort.");
            return null;
        }

        CheckFields(port, path, PortFields);
        var valid = true;
        var protocol = Value(Child(port, "protocol"), path + ".protocol", ref valid) ?? "TCP";
        if (valid && protocol is not ("TCP" or "UDP" or "SCTP"))
        {
            Error(Child(port, "protocol")!, path + ".protocol", InvalidProtocol, $"Unsupported value '{protocol}': supported values are \"TCP\", \"UDP\", \"SCTP\".");
            valid = false;
        }

        if (Child(port, "port") is { } rawPort and not YamlScalarNode)
        {
            Error(rawPort, path + ".port", InvalidValueType, $"{path}.port must be a number or a port name, not a {(rawPort is YamlSequenceNode ? "list" : "mapping")}.");
            return null;
        }

        var portNode = Child(port, "port") as YamlScalarNode;
        int? number = null;
        string? portName = null;
        if (portNode is not null)
        {
            // IntOrString: a plain scalar that is a number is an int; a quoted one is a string, hence a port name.
            if (portNode.Style is ScalarStyle.Plain && int.TryParse(portNode.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            {
                number = n;
                if (n is < 1 or > 65535)
                {
                    Error(portNode, path + ".port", InvalidPort, $"Invalid value {n}: must be between 1 and 65535, inclusive.");
                    valid = false;
                }
            }
            else
            {
                portName = portNode.Value ?? "";
                if (KubernetesNames.PortName(portName) is { } problem)
                {
                    Error(portNode, path + ".port", InvalidPortName, $"Invalid value '{portName}': {problem}.");
                    valid = false;
                }
            }
        }

        int? endPort = null;
        if (Child(port, "endPort") is { } endNode)
        {
            if (!int.TryParse(Scalar(endNode), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var end))
            {
                Error(endNode, path + ".endPort", InvalidValueType, $"endPort must be a number, not '{Scalar(endNode)}'.");
                valid = false;
            }
            else if (portNode is null)
            {
                Error(endNode, path + ".endPort", EndPortWithoutPort, $"Invalid value {end}: may not be specified when `port` is not specified.");
                valid = false;
            }
            else if (portName is not null)
            {
                Error(endNode, path + ".endPort", EndPortWithNamedPort, $"Invalid value {end}: may not be specified when `port` is non-numeric.");
                valid = false;
            }
            else
            {
                if (end < number)
                {
                    Error(endNode, path + ".endPort", EndPortBeforePort, $"Invalid value {end}: must be greater than or equal to `port` ({number}).");
                    valid = false;
                }

                if (end is < 1 or > 65535)
                {
                    Error(endNode, path + ".endPort", InvalidPort, $"Invalid value {end}: must be between 1 and 65535, inclusive.");
                    valid = false;
                }

                endPort = end;
            }
        }

        return valid ? new PolicyPort(protocol, number, portName, endPort) { Source = Span(node), Path = path } : null;
    }

    /// <summary>unversionedvalidation.ValidateLabelSelector: keys, values and operators. Null when invalid or absent.</summary>
    private LabelSelector? ReadSelector(YamlNode? node, string path)
    {
        if (node is null)
        {
            return null;
        }

        if (node is YamlScalarNode { Value: null or "" or "{}" })
        {
            return LabelSelector.Everything;
        }

        if (node is not YamlMappingNode selector)
        {
            Error(node, path, InvalidValueType, "A label selector is a mapping with matchLabels and matchExpressions ({} selects everything).");
            return null;
        }

        CheckFields(selector, path, SelectorFields);
        var valid = true;
        var labels = new Dictionary<string, string>();
        if (Child(selector, "matchLabels") is YamlMappingNode matchLabels)
        {
            foreach (var entry in matchLabels.Children)
            {
                var key = Scalar(entry.Key) ?? "";
                var valueValid = true;
                var value = Value(entry.Value, $"{path}.matchLabels.{key}", ref valueValid) ?? "";
                if (!valueValid)
                {
                    valid = false;
                    continue;
                }

                if (KubernetesNames.QualifiedName(key) is { } keyProblem)
                {
                    Error(entry.Key, $"{path}.matchLabels", InvalidLabelKey, $"Invalid value '{key}': {keyProblem}.");
                    valid = false;
                }

                if (KubernetesNames.LabelValue(value) is { } valueProblem)
                {
                    Error(entry.Value, $"{path}.matchLabels", InvalidLabelValue, $"Invalid value '{value}': {valueProblem}.");
                    valid = false;
                }

                labels[key] = value;
            }
        }

        var expressions = new List<LabelSelectorRequirement>();
        var items = Child(selector, "matchExpressions") is { } exprNode ? Sequence(exprNode, path + ".matchExpressions") : [];
        for (var i = 0; i < items.Count; i++)
        {
            var itemPath = $"{path}.matchExpressions[{i}]";
            CheckFields(items[i] as YamlMappingNode, itemPath, ExpressionFields);
            var itemValid = true;
            var key = Value(Child(items[i], "key"), itemPath + ".key", ref itemValid) ?? "";
            var op = Value(Child(items[i], "operator"), itemPath + ".operator", ref itemValid) ?? "";
            var values = new List<string>();
            foreach (var v in Child(items[i], "values") is { } valuesNode ? Sequence(valuesNode, itemPath + ".values") : [])
            {
                values.Add(Value(v, itemPath + ".values[]", ref itemValid) ?? "");
            }

            if (!itemValid)
            {
                valid = false;
                continue;
            }

            if (KubernetesNames.QualifiedName(key) is { } keyProblem)
            {
                Error(Child(items[i], "key") ?? items[i], itemPath + ".key", InvalidLabelKey, $"Invalid value '{key}': {keyProblem}.");
                valid = false;
            }

            switch (op)
            {
                case "In" or "NotIn" when values.Count == 0:
                    Error(items[i], itemPath + ".values", SelectorValuesRequired, "must be specified when `operator` is 'In' or 'NotIn'.");
                    valid = false;
                    break;
                case "Exists" or "DoesNotExist" when values.Count > 0:
                    Error(Child(items[i], "values")!, itemPath + ".values", SelectorValuesForbidden, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'.");
                    valid = false;
                    break;
                case "In" or "NotIn" or "Exists" or "DoesNotExist":
                    break;
                default:
                    Error(Child(items[i], "operator") ?? items[i], itemPath + ".operator", InvalidSelectorOperator, $"Unsupported value '{op}': supported values are \"In\", \"NotIn\", \"Exists\", \"DoesNotExist\".");
                    valid = false;
                    break;
            }

            foreach (var value in values.Where(v => KubernetesNames.LabelValue(v) is not null))
            {
                Error(Child(items[i], "values")!, itemPath + ".values", InvalidLabelValue, $"Invalid value '{value}': {KubernetesNames.LabelValue(value)}.");
                valid = false;
            }

            expressions.Add(new LabelSelectorRequirement(key, op, values));
        }

        return valid ? new LabelSelector(labels, expressions) : null;
    }

    /// <summary>Fields the API server does not know: kubectl's strict field validation reports them, and they do nothing.</summary>
    private void CheckFields(YamlMappingNode? map, string path, string[] known)
    {
        foreach (var key in map?.Children.Keys ?? [])
        {
            var name = Scalar(key) ?? "";
            if (!known.Contains(name))
            {
                var guess = known.OrderBy(k => Text.EditDistance(k, name)).First();
                Warning(key, $"{path}.{name}", UnknownField, $"Unknown field \"{name}\"; it is ignored by the API server." +
                    (Text.EditDistance(guess, name) <= 3 ? $" Did you mean \"{guess}\"?" : $" Known fields: {string.Join(", ", known)}."));
            }
        }
    }

    private List<YamlNode> Sequence(YamlNode node, string path)
    {
        if (node is YamlSequenceNode seq)
        {
            return seq.Children.ToList();
        }

        if (node is YamlScalarNode { Value: null or "" } || (node is YamlScalarNode s && s.Value == "[]"))
        {
            return [];
        }

        Error(node, path, InvalidValueType, $"{path} must be a list.");
        return [];
    }

    private static YamlNode? Child(YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string? Scalar(YamlNode? node) => (node as YamlScalarNode)?.Value;

    /// <summary>
    /// A field that holds one value. A list or a mapping there is an InvalidValueType error (the API server could not
    /// decode it) and makes the part invalid: never a silent default such as "all ports" or "TCP".
    /// </summary>
    private string? Value(YamlNode? node, string path, ref bool valid)
    {
        switch (node)
        {
            case null:
                return null;
            case YamlScalarNode scalar:
                return scalar.Value;
            default:
                Error(node, path, InvalidValueType, $"{path} must be a single value, not a {(node is YamlSequenceNode ? "list" : "mapping")}.");
                valid = false;
                return null;
        }
    }

    /// <summary>A labels mapping whose values are single values; anything else is an InvalidValueType error.</summary>
    private Dictionary<string, string> ReadLabels(YamlNode? node, string path, ref bool valid)
    {
        var labels = new Dictionary<string, string>();
        if (node is null or YamlScalarNode { Value: null or "" })
        {
            return labels;
        }

        if (node is not YamlMappingNode map)
        {
            Error(node, path, InvalidValueType, $"{path} must be a mapping of label names to values.");
            valid = false;
            return labels;
        }

        foreach (var entry in map.Children)
        {
            var key = Scalar(entry.Key) ?? "";
            labels[key] = Value(entry.Value, $"{path}.{key}", ref valid) ?? "";
        }

        return labels;
    }


    private static Dictionary<string, string> WithNameLabel(Dictionary<string, string> labels, string name)
    {
        labels[NamespaceInfo.NameLabel] = name;
        return labels;
    }

    private SourceSpan Span(YamlNode node) => new(_file, (int)node.Start.Line, (int)node.Start.Column);

    private void Error(YamlNode node, string? path, string code, string message) => Add(FindingSeverity.Error, node, path, code, message);

    private void Warning(YamlNode node, string? path, string code, string message) => Add(FindingSeverity.Warning, node, path, code, message);

    private void Add(FindingSeverity severity, YamlNode node, string? path, string code, string message) => _findings.Add(new NetworkPolicyFinding
    {
        SeverityValue = severity, Code = code, Message = message, File = _file, Line = (int)node.Start.Line, Column = (int)node.Start.Column,
        Policy = _policyId, Path = path,
    });
}
