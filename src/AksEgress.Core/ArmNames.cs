using System.Text.RegularExpressions;

namespace AksEgress;

/// <summary>
/// ARM's naming rules for the resources this module addresses, checked before any request, so that a name can never
/// carry a query string or another path into a URL. Each returns null when the name is valid, else what is valid.
/// </summary>
public static class ArmNames
{
    private static readonly Regex ResourceGroup = new(@"^[-\w.()]{0,89}[-\w()]$", RegexOptions.CultureInvariant);
    private static readonly Regex Policy = new(@"^[A-Za-z0-9]([A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$", RegexOptions.CultureInvariant);
    private static readonly Regex Cluster = new(@"^[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$", RegexOptions.CultureInvariant);

    public static string? SubscriptionProblem(string? id) =>
        Guid.TryParseExact(id ?? "", "D", out _) ? null : $"'{id}' is not a subscription id: a subscription id is a GUID such as 00000000-0000-0000-0000-000000000000.";

    public static string? ResourceGroupProblem(string? name) =>
        ResourceGroup.IsMatch(name ?? "") ? null : $"'{name}' is not a resource group name: 1 to 90 letters, digits, '_', '-', '.', '(' or ')', not ending with '.'.";

    public static string? FirewallPolicyProblem(string? name) => NetworkNameProblem(name, "a firewall policy");

    /// <summary>Azure Firewall names follow the rules of firewall policy names.</summary>
    public static string? FirewallProblem(string? name) => NetworkNameProblem(name, "an Azure Firewall");

    private static string? NetworkNameProblem(string? name, string what) =>
        Policy.IsMatch(name ?? "") ? null : $"'{name}' is not {what} name: 1 to 80 letters, digits, '_', '-' or '.', starting with a letter or digit and ending with a letter, digit or '_'.";

    public static string? ClusterProblem(string? name) =>
        Cluster.IsMatch(name ?? "") ? null : $"'{name}' is not an AKS cluster name: 1 to 63 letters, digits, '_' or '-', starting and ending with a letter or digit.";
}
