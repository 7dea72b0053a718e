namespace AksEgress.Firewall;

/// <summary>How to turn requirements into a rule collection group.</summary>
public sealed record FirewallPlanOptions
{
    /// <summary>The default group name.</summary>
    public const string DefaultGroupName = "aks-egress";

    /// <summary>Above the default groups Azure Firewall Manager creates (DNAT 100, network 200, application 300).</summary>
    public const int DefaultPriority = 500;

    public string GroupName { get; init; } = DefaultGroupName;
    public int Priority { get; init; } = DefaultPriority;
    /// <summary>Source IP addresses or CIDR blocks of the cluster (its subnet). With <see cref="SourceIpGroups"/>, at least one is needed.</summary>
    public IReadOnlyList<string> SourceAddresses { get; init; } = [];
    /// <summary>Resource ids of IP groups (Microsoft.Network/ipGroups) holding the cluster's addresses.</summary>
    public IReadOnlyList<string> SourceIpGroups { get; init; } = [];
    /// <summary>Replace the core application rules by one rule with the AzureKubernetesService FQDN tag.</summary>
    public bool UseFqdnTag { get; init; }
}
