namespace AksEgress.NetworkPolicy;

/// <summary>The stable finding codes (documented in docs/findings.md).</summary>
public static class FindingCodes
{
    // Reading
    public const string InvalidManifest = "AKSNP001";
    public const string UnknownApiVersion = "AKSNP002";
    public const string UnknownField = "AKSNP003";

    // API server validation (pkg/apis/networking/validation)
    public const string InvalidName = "AKSNP101";
    public const string InvalidNamespace = "AKSNP102";
    public const string InvalidLabelKey = "AKSNP103";
    public const string InvalidLabelValue = "AKSNP104";
    public const string InvalidSelectorOperator = "AKSNP105";
    public const string SelectorValuesRequired = "AKSNP106";
    public const string SelectorValuesForbidden = "AKSNP107";
    public const string InvalidProtocol = "AKSNP110";
    public const string InvalidPort = "AKSNP111";
    public const string InvalidPortName = "AKSNP112";
    public const string EndPortWithNamedPort = "AKSNP113";
    public const string EndPortBeforePort = "AKSNP114";
    public const string EndPortWithoutPort = "AKSNP115";
    public const string EmptyPeer = "AKSNP120";
    public const string IpBlockWithSelector = "AKSNP121";
    public const string InvalidCidr = "AKSNP122";
    public const string ExceptNotInCidr = "AKSNP123";
    public const string InvalidPolicyType = "AKSNP130";
    public const string TooManyPolicyTypes = "AKSNP131";
    public const string InvalidValueType = "AKSNP140";

    // Engine compatibility
    public const string NamedPortUnsupported = "AKSNP201";
    public const string SctpUnsupported = "AKSNP202";
    public const string NegativeSelectorUnsupported = "AKSNP203";
    public const string IpBlockExceptUnsupported = "AKSNP204";
    public const string Ipv6Unsupported = "AKSNP205";
    public const string ManyIpBlocks = "AKSNP206";
    public const string NpmScaleLimit = "AKSNP207";
    public const string HostNetworkNotFiltered = "AKSNP210";
    public const string IpBlockMatchesPodIp = "AKSNP211";
    public const string EndPortNeedsNewerCilium = "AKSNP212";
    public const string AmbiguousPortName = "AKSNP213";

    // Lint
    public const string NoDefaultDeny = "AKSNP301";
    public const string EgressBlocksDns = "AKSNP302";
    public const string RulesIgnoredByPolicyTypes = "AKSNP303";
    public const string SelectorMatchesNothing = "AKSNP304";
    public const string PeerMatchesNothing = "AKSNP305";
    public const string AllowAllShadowsPolicies = "AKSNP306";
    public const string DuplicatePolicy = "AKSNP307";
}
