using static AksEgress.Diagnostics.FindingSeverity;
using static AksEgress.NetworkPolicy.FindingCodes;
using EgressPathCheck = AksEgress.Firewall.Coverage.EgressPathCheck;

namespace AksEgress.Diagnostics;

/// <summary>
/// Every kind of finding the module reports, with its metadata. docs/findings.md documents exactly these (a test
/// compares them), and -IncludeRule / -ExcludeRule / -Severity select by them.
/// </summary>
public static class DiagnosticRules
{
    public const string NetworkPolicyArea = "NetworkPolicy";
    public const string FirewallArea = "Firewall";
    public const string CatalogArea = "Catalog";

    // Firewall policy review (Test-AksFirewallPolicy -Hygiene)
    public const string StaleRule = "AKSFW001";
    public const string AnyDestination = "AKSFW002";
    public const string AnySource = "AKSFW003";
    public const string StaleDestination = "AKSFW004";

    // Catalog files (-CatalogPath)
    public const string InvalidCatalogEntry = "AKSCAT001";

    public static IReadOnlyList<DiagnosticRule> All { get; } =
    [
        Np(InvalidManifest, nameof(InvalidManifest), [Error], "The file is not valid YAML or JSON, or a document is not a manifest."),
        Np(UnknownApiVersion, nameof(UnknownApiVersion), [Error, Warning], "An apiVersion that is not read; never guessed."),
        Np(UnknownField, nameof(UnknownField), [Warning], "A field the API server does not know."),
        Np(InvalidName, nameof(InvalidName), [Error], "metadata.name is missing or not an RFC 1123 subdomain."),
        Np(InvalidNamespace, nameof(InvalidNamespace), [Error], "metadata.namespace is not an RFC 1123 label."),
        Np(InvalidLabelKey, nameof(InvalidLabelKey), [Error], "A label selector key is not a qualified name."),
        Np(InvalidLabelValue, nameof(InvalidLabelValue), [Error], "A label selector value is not a valid label value."),
        Np(InvalidSelectorOperator, nameof(InvalidSelectorOperator), [Error], "A matchExpressions operator other than In, NotIn, Exists, DoesNotExist."),
        Np(SelectorValuesRequired, nameof(SelectorValuesRequired), [Error], "In and NotIn need values."),
        Np(SelectorValuesForbidden, nameof(SelectorValuesForbidden), [Error], "Exists and DoesNotExist take no values."),
        Np(InvalidProtocol, nameof(InvalidProtocol), [Error], "A protocol other than TCP, UDP or SCTP."),
        Np(InvalidPort, nameof(InvalidPort), [Error], "A port or endPort outside 1-65535."),
        Np(InvalidPortName, nameof(InvalidPortName), [Error], "A named port that is not an IANA service name."),
        Np(EndPortWithNamedPort, nameof(EndPortWithNamedPort), [Error], "endPort with a named port."),
        Np(EndPortBeforePort, nameof(EndPortBeforePort), [Error], "endPort below port."),
        Np(EndPortWithoutPort, nameof(EndPortWithoutPort), [Error], "endPort without port."),
        Np(EmptyPeer, nameof(EmptyPeer), [Error], "A peer with no podSelector, namespaceSelector or ipBlock."),
        Np(IpBlockWithSelector, nameof(IpBlockWithSelector), [Error], "ipBlock in the same peer as a selector."),
        Np(InvalidCidr, nameof(InvalidCidr), [Error], "A missing or invalid CIDR."),
        Np(ExceptNotInCidr, nameof(ExceptNotInCidr), [Error], "An except block that is not a strict subset of cidr."),
        Np(InvalidPolicyType, nameof(InvalidPolicyType), [Error], "A policyType other than Ingress or Egress."),
        Np(TooManyPolicyTypes, nameof(TooManyPolicyTypes), [Error], "More than two policyTypes."),
        Np(InvalidValueType, nameof(InvalidValueType), [Error], "A value of the wrong type."),
        Np(NamedPortUnsupported, nameof(NamedPortUnsupported), [Warning], "Azure NPM on Windows does not support named ports."),
        Np(SctpUnsupported, nameof(SctpUnsupported), [Warning], "Azure NPM on Windows does not support SCTP."),
        Np(NegativeSelectorUnsupported, nameof(NegativeSelectorUnsupported), [Warning], "Azure NPM on Windows does not support NotIn and DoesNotExist."),
        Np(IpBlockExceptUnsupported, nameof(IpBlockExceptUnsupported), [Warning], "Azure NPM on Windows does not support ipBlock except."),
        Np(Ipv6Unsupported, nameof(Ipv6Unsupported), [Warning], "Azure NPM does not support IPv6."),
        Np(ManyIpBlocks, nameof(ManyIpBlocks), [Warning], "More than four ipBlock sections under Azure NPM."),
        Np(NpmScaleLimit, nameof(NpmScaleLimit), [Warning], "More pods than Azure NPM on Linux supports."),
        Np(HostNetworkNotFiltered, nameof(HostNetworkNotFiltered), [Warning], "Cilium does not filter hostNetwork pods."),
        Np(IpBlockMatchesPodIp, nameof(IpBlockMatchesPodIp), [Warning], "Cilium's ipBlock does not match pod or node addresses."),
        Np(EndPortNeedsNewerCilium, nameof(EndPortNeedsNewerCilium), [Warning], "Cilium enforces endPort from AKS Kubernetes 1.32."),
        Np(AmbiguousPortName, nameof(AmbiguousPortName), [Warning], "One port name means different numbers on different pods."),
        Np(NoDefaultDeny, nameof(NoDefaultDeny), [Information], "A namespace with no default deny for ingress."),
        Np(EgressBlocksDns, nameof(EgressBlocksDns), [Warning], "Egress isolation with no rule for DNS to kube-dns."),
        Np(RulesIgnoredByPolicyTypes, nameof(RulesIgnoredByPolicyTypes), [Warning], "Rules that policyTypes makes the API server ignore."),
        Np(SelectorMatchesNothing, nameof(SelectorMatchesNothing), [Warning], "spec.podSelector matches no workload."),
        Np(PeerMatchesNothing, nameof(PeerMatchesNothing), [Information], "A peer matches no workload."),
        Np(AllowAllShadowsPolicies, nameof(AllowAllShadowsPolicies), [Warning], "An allow-all rule makes other policies for the same pods moot."),
        Np(DuplicatePolicy, nameof(DuplicatePolicy), [Information, Warning], "Two policies with the same spec, or one name defined twice."),
        new(StaleRule, nameof(StaleRule), FirewallArea, [Warning], "A rule that allows destinations only the 2019 edition or retired rules need."),
        new(AnyDestination, nameof(AnyDestination), FirewallArea, [Warning], "A rule open to any destination on web ports or every port."),
        new(AnySource, nameof(AnySource), FirewallArea, [Warning], "A rule open to any source."),
        new(StaleDestination, nameof(StaleDestination), FirewallArea, [Warning], "One destination of a rule that only the 2019 edition or a retired rule needs, in a rule that also allows current ones."),
        new(EgressPathCheck.OutboundNotThroughFirewall, nameof(EgressPathCheck.OutboundNotThroughFirewall), FirewallArea, [Error], "The cluster's outbound type sends its egress elsewhere than through the firewall."),
        new(EgressPathCheck.NoRouteTable, nameof(EgressPathCheck.NoRouteTable), FirewallArea, [Error, Warning], "A subnet of the cluster has no route table."),
        new(EgressPathCheck.DefaultRouteElsewhere, nameof(EgressPathCheck.DefaultRouteElsewhere), FirewallArea, [Error], "A subnet's route for 0.0.0.0/0 is missing or does not lead to a firewall that uses the policy."),
        new(EgressPathCheck.EgressPathUnknown, nameof(EgressPathCheck.EgressPathUnknown), FirewallArea, [Warning], "A part of the egress path cannot be read, so the path cannot be told."),
        new(InvalidCatalogEntry, nameof(InvalidCatalogEntry), CatalogArea, [Error], "A catalog file's field that is missing, unknown, of the wrong type or out of range."),
    ];

    private static readonly Dictionary<string, DiagnosticRule> ByCode = All.ToDictionary(r => r.Code, StringComparer.OrdinalIgnoreCase);

    public static DiagnosticRule? Find(string code) => ByCode.TryGetValue(code, out var rule) ? rule : null;

    private static DiagnosticRule Np(string code, string name, FindingSeverity[] severities, string summary) => new(code, name, NetworkPolicyArea, severities, summary);
}
