using System.Text.Json.Nodes;

namespace AksEgress.Firewall;

/// <summary>A firewall policy as ARM returns it: what this module needs to know, and the raw resource for read-modify-write.</summary>
public sealed record FirewallPolicyInfo(FirewallPolicyId Id, string Location, string? ETag, bool DnsProxyEnabled, JsonObject Resource);
