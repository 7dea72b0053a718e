using System.Net;
using System.Text.Json.Nodes;
using AksEgress.Requirements;

namespace AksEgress.Firewall.Coverage;

/// <summary>A break (or an unknown) in the path from a cluster's subnets to the firewall: AKSFW101-104, each with its fix.</summary>
public sealed record EgressPathFinding : Finding
{
    [System.Diagnostics.CodeAnalysis.SetsRequiredMembers]
    internal EgressPathFinding(string code, FindingSeverity severity, string cluster, string? subnet, string message, string fix)
    {
        Code = code;
        SeverityValue = severity;
        Cluster = cluster;
        Subnet = subnet;
        Message = message;
        Fix = fix;
    }

    public string Cluster { get; }
    /// <summary>The subnet (resource id) the break is in; null when it is the cluster's.</summary>
    public string? Subnet { get; }
    /// <summary>What to change.</summary>
    public string Fix { get; }

    public override string? Target => Subnet ?? Cluster;

    public override string ToString() => $"{Code} {RuleName}: {Message} Fix: {Fix}";
}

/// <summary>A firewall whose egress path is checked: its name and private address (the next hop a route table must name).</summary>
public sealed record FirewallAddress(string Name, IPAddress PrivateAddress, bool InVirtualHub = false)
{
    /// <summary>The private addresses of an Azure Firewall as ARM returns it: of its IP configurations, or of its virtual hub.</summary>
    public static IReadOnlyList<FirewallAddress> Of(JsonNode firewall, string? name = null)
    {
        name ??= firewall["name"].StringValue() ?? "";
        var properties = firewall["properties"];
        var addresses = (properties?["ipConfigurations"] as JsonArray ?? []).Select(c => (Text: c?["properties"]?["privateIPAddress"].StringValue(), Hub: false))
            .Append((Text: properties?["hubIPAddresses"]?["privateIPAddress"].StringValue(), Hub: true));
        return addresses.Where(a => a.Text is not null && IPAddress.TryParse(a.Text, out _)).Select(a => new FirewallAddress(name, IPAddress.Parse(a.Text!), a.Hub)).ToList();
    }
}

/// <summary>What the check found: the cluster's source prefixes (its node and pod subnets), the findings, and the evidence read.</summary>
public sealed record EgressPathResult(IReadOnlyList<string> Sources, IReadOnlyList<EgressPathFinding> Findings, IReadOnlyList<string> Evidence);

/// <summary>
/// Whether a cluster's egress goes through a firewall: outbound type userDefinedRouting, and the route table of every
/// node and pod subnet sending the internet (0.0.0.0/0, or routes that cover it) to the private address of the firewall
/// (next hop VirtualAppliance), as AKS's "Limit egress traffic using Azure Firewall" procedure sets it up. Read only. A subnet or route table that cannot be
/// read makes the answer unknown (a warning), never a pass.
/// </summary>
public static class EgressPathCheck
{
    public const string OutboundNotThroughFirewall = "AKSFW101";
    public const string NoRouteTable = "AKSFW102";
    public const string DefaultRouteElsewhere = "AKSFW103";
    public const string EgressPathUnknown = "AKSFW104";

    public static async Task<EgressPathResult> CheckAsync(ManagedClusterProfile cluster, IReadOnlyList<FirewallAddress> firewalls, IFirewallPolicyStore store, CancellationToken cancellationToken)
    {
        var findings = new List<EgressPathFinding>();
        var evidence = new List<string>();
        var sources = new List<string>();
        var name = cluster.Name;
        var target = firewalls.Count > 0 ? $"{firewalls[0].PrivateAddress} (firewall {firewalls[0].Name})" : "the firewall's private address";
        var routeFix = $"Associate a route table with the subnet whose route 0.0.0.0/0 has next hop type VirtualAppliance and next hop address {target}.";

        evidence.Add($"outbound type {cluster.OutboundType}");
        if (cluster.NetworkIsolated)
        {
            evidence.Add("network isolated: the cluster has no outbound path, and needs only the rules of its features");
        }
        else if (!string.Equals(cluster.OutboundType, "userDefinedRouting", StringComparison.OrdinalIgnoreCase))
        {
            findings.Add(new(OutboundNotThroughFirewall, FindingSeverity.Error, name, null,
                $"Cluster {name} sends its egress through its {cluster.OutboundType} (networkProfile.outboundType), not through a firewall: the firewall's rules do not apply to it.",
                cluster.NodeSubnetIds.Count == 0
                    ? "The cluster uses an AKS-managed virtual network: user-defined routing needs the cluster in your own subnet (bring your own virtual network), with a route table sending 0.0.0.0/0 to the firewall."
                    : $"{routeFix} Then set the outbound type: az aks update --outbound-type userDefinedRouting."));
        }

        if (firewalls.Count == 0)
        {
            findings.Add(new(EgressPathUnknown, FindingSeverity.Warning, name, null,
                "No firewall that uses this policy is known (the policy lists none, or they cannot be read): whether the routes lead to it cannot be told.",
                "Check with -FirewallName, or give Reader on the firewall that uses the policy."));
        }

        var routeTables = new Dictionary<string, JsonObject?>(StringComparer.OrdinalIgnoreCase);
        foreach (var subnetId in cluster.NodeSubnetIds.Concat(cluster.PodSubnetIds).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var subnetName = subnetId.TrimEnd('/').Split('/').Last();
            if (await ReadAsync(store, subnetId, "subnet", name, findings, cancellationToken).ConfigureAwait(false) is not { } subnet)
            {
                continue;
            }

            var properties = subnet["properties"];
            var prefixes = (properties?["addressPrefixes"] as JsonArray ?? []).Select(n => n.StringValue()).Append(properties?["addressPrefix"].StringValue())
                .Where(p => p is not null && IpNetwork.Parse(p!) is not null).Select(p => p!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            sources.AddRange(prefixes);
            evidence.Add($"subnet {subnetName}: {(prefixes.Count > 0 ? string.Join(", ", prefixes) : "no address prefix")}");
            if (cluster.NetworkIsolated)
            {
                continue;
            }

            if (properties?["routeTable"]?["id"].StringValue() is not { } tableId)
            {
                findings.Add(new(NoRouteTable, firewalls.Any(f => f.InVirtualHub) ? FindingSeverity.Warning : FindingSeverity.Error, name, subnetId,
                    $"Subnet {subnetName} of cluster {name} has no route table: its egress goes straight to the internet{(firewalls.Any(f => f.InVirtualHub) ? ", unless the virtual hub's routing intent sends it to the firewall (not read here)" : "")}.",
                    routeFix));
                continue;
            }

            if (!routeTables.TryGetValue(tableId, out var table))
            {
                table = routeTables[tableId] = await ReadAsync(store, tableId, "route table", name, findings, cancellationToken).ConfigureAwait(false);
            }

            if (table is not null)
            {
                CheckDefaultRoute(table, tableId, subnetId, subnetName, name, firewalls, routeFix, findings, evidence);
            }
        }

        return new EgressPathResult(sources.Distinct(StringComparer.OrdinalIgnoreCase).ToList(), findings, evidence);
    }

    /// <summary>IPv4 blocks that are not the internet: Azure routes them by the virtual network, or drops them.</summary>
    private static readonly IpNetwork[] NotInternet = new[] { "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/3" }
        .Select(c => IpNetwork.Parse(c)!.Value).ToArray();

    /// <summary>
    /// Where the route table sends the internet, as Azure chooses a route: the longest prefix that holds the address
    /// (none: the system route to the internet). Broad routes (shorter than /8: 0.0.0.0/0, or the halves 0.0.0.0/1 and
    /// 128.0.0.0/1 some tables split it into) must lead to the firewall; a more specific route elsewhere (the
    /// firewall's own public address to the internet, as AKS's procedure adds, or a service sent past the firewall on
    /// purpose) is said as evidence, not as a break.
    /// </summary>
    private static void CheckDefaultRoute(JsonObject table, string tableId, string subnetId, string subnetName, string cluster, IReadOnlyList<FirewallAddress> firewalls,
        string routeFix, List<EgressPathFinding> findings, List<string> evidence)
    {
        var tableName = tableId.TrimEnd('/').Split('/').Last();
        var all = (table["properties"]?["routes"] as JsonArray ?? []).Select(r => r?["properties"])
            .Select(r => (Prefix: r?["addressPrefix"].StringValue() ?? "", HopType: r?["nextHopType"].StringValue(), Hop: r?["nextHopIpAddress"].StringValue())).ToList();
        var routes = all.Select(r => (Net: IpNetwork.Parse(r.Prefix), r.HopType, r.Hop)).Where(r => r.Net is { IsIPv6: false })
            .Select(r => (Net: r.Net!.Value, r.HopType, Hop: IPAddress.TryParse(r.Hop, out var hop) ? hop : null)).ToList();
        bool ToFirewall((IpNetwork Net, string? HopType, IPAddress? Hop) r) =>
            string.Equals(r.HopType, "VirtualAppliance", StringComparison.OrdinalIgnoreCase) && r.Hop is not null
            && (firewalls.Count == 0 || firewalls.Any(f => f.PrivateAddress.Equals(r.Hop)));

        // The address space cut where any route or non-internet block starts or ends; each piece has one longest match.
        var cuts = routes.Select(r => r.Net).Concat(NotInternet).SelectMany(n => new[] { Start(n), Start(n) + Size(n) }).Append(0).Append(1L << 32)
            .Distinct().OrderBy(x => x).ToList();
        (IpNetwork Net, string? HopType, IPAddress? Hop)? broken = null;
        var gap = -1L;
        var past = new List<string>();
        for (var i = 0; i + 1 < cuts.Count; i++)
        {
            var start = cuts[i];
            if (NotInternet.Any(n => Holds(n, start)))
            {
                continue;
            }

            var route = routes.Where(r => Holds(r.Net, start)).OrderByDescending(r => r.Net.PrefixLength).Cast<(IpNetwork Net, string? HopType, IPAddress? Hop)?>().FirstOrDefault();
            if (route is { } specific && specific.Net.PrefixLength >= 8)
            {
                if (!ToFirewall(specific))
                {
                    past.Add($"{specific.Net} to {specific.Hop?.ToString() ?? specific.HopType}");
                }
            }
            else if (route is null)
            {
                gap = gap < 0 ? start : gap;
            }
            else if (!ToFirewall(route.Value))
            {
                broken ??= route;
            }
        }

        var broad = routes.Where(r => r.Net.PrefixLength < 8 && ToFirewall(r)).ToList();
        var now = broken is { } r
            ? string.Equals(r.HopType, "VirtualAppliance", StringComparison.OrdinalIgnoreCase) && r.Hop is not null
                ? $"sends {r.Net} to {r.Hop}, which is not the private address of a firewall that uses this policy ({string.Join(", ", firewalls.Select(f => $"{f.Name} {f.PrivateAddress}"))})"
                : $"sends {r.Net} to next hop type {r.HopType}, not to the firewall"
            : gap < 0 ? null
            : broad.Count == 0 ? "has no route for 0.0.0.0/0, so egress goes to the internet, not to the firewall"
            : $"sends {string.Join(", ", broad.Select(b => b.Net))} to the firewall but has no route for the rest of the internet (from {Address(gap)}), so that egress goes to the internet, not to the firewall";
        if (now is not null)
        {
            findings.Add(new(DefaultRouteElsewhere, FindingSeverity.Error, cluster, subnetId, $"Route table {tableName} of subnet {subnetName} {now}.", routeFix));
            return;
        }

        // Azure routes also take service tags (AzureCloud, Storage.WestEurope) as the prefix: their ranges are not read here.
        foreach (var tagged in all.Where(r => r.Prefix.Length > 0 && !r.Prefix.Contains('/')))
        {
            evidence.Add($"subnet {subnetName}: route table {tableName} sends service tag {tagged.Prefix} to {tagged.Hop ?? tagged.HopType}; its addresses are not checked here");
        }

        var hops = string.Join(", ", broad.Select(b => b.Hop).Distinct().Select(h => firewalls.FirstOrDefault(f => f.PrivateAddress.Equals(h)) is { } f ? $"{h}, firewall {f.Name}" : $"{h} (no firewall known to compare with)"));
        evidence.Add($"subnet {subnetName}: route table {tableName} sends {string.Join(", ", broad.Select(b => b.Net))} to {hops}");
        foreach (var bypass in past.Distinct())
        {
            evidence.Add($"subnet {subnetName}: route table {tableName} sends {bypass}, past the firewall");
        }
    }

    private static long Start(IpNetwork net) => ((long)net.Address[0] << 24) | ((long)net.Address[1] << 16) | ((long)net.Address[2] << 8) | net.Address[3];

    private static long Size(IpNetwork net) => 1L << (32 - net.PrefixLength);

    private static bool Holds(IpNetwork net, long address) => address >= Start(net) && address < Start(net) + Size(net);

    private static IPAddress Address(long address) => new([(byte)(address >> 24), (byte)(address >> 16), (byte)(address >> 8), (byte)address]);

    /// <summary>A resource of the path; null (and an AKSFW104 warning) when it does not exist or cannot be read.</summary>
    private static async Task<JsonObject?> ReadAsync(IFirewallPolicyStore store, string id, string what, string cluster, List<EgressPathFinding> findings, CancellationToken cancellationToken)
    {
        string problem;
        try
        {
            if (await store.GetNetworkResourceAsync(id, cancellationToken).ConfigureAwait(false) is { } resource)
            {
                return resource;
            }

            problem = "does not exist";
        }
        catch (FirewallApplyException ex) when (ex.Kind is FailureKind.PermissionDenied or FailureKind.NotFound or FailureKind.InvalidData)
        {
            problem = $"cannot be read ({ex.ErrorId})";
        }

        findings.Add(new(EgressPathUnknown, FindingSeverity.Warning, cluster, what == "subnet" ? id : null,
            $"The {what} {id} {problem}: whether egress goes through the firewall cannot be told there.",
            $"Give the identity Reader on the {what} (Microsoft.Network/{(what == "subnet" ? "virtualNetworks/subnets" : "routeTables")}/read), or check the id."));
        return null;
    }
}
