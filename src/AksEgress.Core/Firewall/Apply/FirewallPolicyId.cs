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
        if ((ArmNames.SubscriptionProblem(subscriptionId) ?? ArmNames.ResourceGroupProblem(resourceGroupName) ?? ArmNames.FirewallPolicyProblem(name)) is { } problem)
        {
            throw new FormatException(problem);
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
