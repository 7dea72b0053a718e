using System.Text.RegularExpressions;

namespace AksEgress.Firewall;

/// <summary>
/// The resource id of a firewall policy, checked against ARM's naming rules before any request is made, so that a name
/// can never carry a query string or another path into a URL: a subscription GUID, a resource group name (1-90 letters,
/// digits, '_', '-', '.', '(' or ')', not ending with '.') and a policy name (1-80 letters, digits, '_', '-' or '.',
/// starting with a letter or digit and ending with a letter, digit or '_').
/// </summary>
public sealed record FirewallPolicyId
{
    private static readonly Regex Shape = new(
        @"^/subscriptions/(?<s>[^/]+)/resourceGroups/(?<g>[^/]+)/providers/Microsoft\.Network/firewallPolicies/(?<n>[^/]+)/?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    private static readonly Regex GroupName = new(@"^[-\w.()]{0,89}[-\w()]$", RegexOptions.CultureInvariant);
    private static readonly Regex PolicyName = new(@"^[A-Za-z0-9]([A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$", RegexOptions.CultureInvariant);

    private FirewallPolicyId(string subscriptionId, string resourceGroupName, string name)
    {
        SubscriptionId = subscriptionId;
        ResourceGroupName = resourceGroupName;
        Name = name;
    }

    public string SubscriptionId { get; }
    public string ResourceGroupName { get; }
    public string Name { get; }

    /// <summary>The id from its parts; FormatException naming the part that breaks ARM's rules.</summary>
    public static FirewallPolicyId Create(string subscriptionId, string resourceGroupName, string name)
    {
        if (!Guid.TryParseExact(subscriptionId ?? "", "D", out _))
        {
            throw new FormatException($"'{subscriptionId}' is not a subscription id: a subscription id is a GUID such as 00000000-0000-0000-0000-000000000000.");
        }

        if (!GroupName.IsMatch(resourceGroupName ?? ""))
        {
            throw new FormatException($"'{resourceGroupName}' is not a resource group name: 1 to 90 letters, digits, '_', '-', '.', '(' or ')', not ending with '.'.");
        }

        if (!PolicyName.IsMatch(name ?? ""))
        {
            throw new FormatException($"'{name}' is not a firewall policy name: 1 to 80 letters, digits, '_', '-' or '.', starting with a letter or digit and ending with a letter, digit or '_'.");
        }

        return new FirewallPolicyId(subscriptionId!, resourceGroupName!, name!);
    }

    /// <summary>Parses /subscriptions/…/resourceGroups/…/providers/Microsoft.Network/firewallPolicies/…; FormatException saying what is valid.</summary>
    public static FirewallPolicyId Parse(string id)
    {
        var m = Shape.Match(id ?? "");
        if (!m.Success)
        {
            throw new FormatException($"'{id}' is not the resource id of a firewall policy: /subscriptions/<subscription id>/resourceGroups/<group>/providers/Microsoft.Network/firewallPolicies/<name>.");
        }

        return Create(m.Groups["s"].Value, m.Groups["g"].Value, m.Groups["n"].Value);
    }

    public override string ToString() => $"/subscriptions/{SubscriptionId}/resourceGroups/{ResourceGroupName}/providers/Microsoft.Network/firewallPolicies/{Name}";
}
