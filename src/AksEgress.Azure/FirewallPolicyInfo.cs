using System.Text.Json.Nodes;
using global::Azure.Core;

namespace AksEgress.Azure;

/// <summary>A firewall policy as ARM returns it: what this module needs to know, and the raw resource for read-modify-write.</summary>
public sealed record FirewallPolicyInfo(ResourceIdentifier Id, string Location, string? ETag, bool DnsProxyEnabled, JsonObject Resource);
