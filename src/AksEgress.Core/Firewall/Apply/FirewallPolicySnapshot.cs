namespace AksEgress.Firewall;

/// <summary>
/// A firewall policy as read for a coverage check (read only): its groups and those of its parents (basePolicy, up the
/// chain, in any resource group or subscription), which Azure Firewall processes first; its DNS proxy setting; and the
/// addresses of the IP groups its rules name.
/// </summary>
public sealed record FirewallPolicySnapshot(IReadOnlyList<FirewallRuleCollectionGroup> Groups, bool DnsProxyEnabled)
{
    private const int MaxIpGroups = 100;

    /// <summary>A parent policy that could not be read (missing, or no permission): every verdict is then Unknown.</summary>
    public string? MissingParent { get; init; }

    /// <summary>The IP groups read, by name (the last segment of the id); one that could not be read is absent, so never counts.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> IpGroups { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The Azure Firewalls the policy is associated with (its read-only properties.firewalls), by resource id.</summary>
    public IReadOnlyList<string> Firewalls { get; init; } = [];

    /// <summary>What could not be read, for warnings.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    public static async Task<FirewallPolicySnapshot> ReadAsync(IFirewallPolicyStore store, string policyResourceId, CancellationToken cancellationToken)
    {
        var policyId = FirewallPolicyId.Parse(policyResourceId);
        var policy = await store.GetPolicyAsync(policyId, cancellationToken).ConfigureAwait(false)
            ?? throw new FirewallApplyException("PolicyNotFound", FailureKind.NotFound, $"Firewall policy {policyId.Name} does not exist in resource group {policyId.ResourceGroupName}.");
        var groups = (await store.ListGroupsAsync(policyId, cancellationToken).ConfigureAwait(false)).Select(g => g.Group).ToList();
        var problems = new List<string>();

        // The parent chain: its groups come first, whatever their priorities.
        string? missing = null;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { policyId.ToString() };
        var current = policy;
        for (var level = 1; BasePolicy(current) is { } parentText; level++)
        {
            FirewallPolicyId parentId;
            try
            {
                parentId = FirewallPolicyId.Parse(parentText);
            }
            catch (FormatException)
            {
                missing = parentText;
                problems.Add($"The basePolicy of {current.Id.Name} is not a firewall policy id: {parentText}.");
                break;
            }

            if (!seen.Add(parentId.ToString()))
            {
                throw new FirewallApplyException("BasePolicyCycle", FailureKind.InvalidData, $"The basePolicy chain of {policyId.Name} comes back to {parentId.Name}.");
            }

            FirewallPolicyInfo? parent;
            try
            {
                parent = await store.GetPolicyAsync(parentId, cancellationToken).ConfigureAwait(false);
            }
            catch (FirewallApplyException ex) when (ex.ErrorId is "AuthorizationFailed" or "ResourceGroupNotFound" or "SubscriptionNotFound")
            {
                parent = null;
                problems.Add($"The parent policy {parentId} cannot be read: {ex.Message}");
            }

            if (parent is null)
            {
                missing = parentId.Name;
                problems.Add($"The parent policy {parentId} (basePolicy of {current.Id.Name}) is not available: its rules come first, so every verdict is Unknown.");
                break;
            }

            var parentLevel = level;
            groups.AddRange((await store.ListGroupsAsync(parentId, cancellationToken).ConfigureAwait(false))
                .Select(g => g.Group with { Name = $"{parentId.Name}/{g.Group.Name}", InheritanceLevel = parentLevel }));
            current = parent;
        }

        var ipGroups = await ReadIpGroupsAsync(store, groups, problems, cancellationToken).ConfigureAwait(false);
        return new FirewallPolicySnapshot(groups, policy.DnsProxyEnabled) 
        {
            MissingParent = missing, IpGroups = ipGroups, Problems = problems.Distinct().ToList(),
            Firewalls = (policy.Resource["properties"]?["firewalls"] as System.Text.Json.Nodes.JsonArray ?? [])
                .Select(f => f?["id"].StringValue()).Where(id => id is not null).Select(id => id!).ToList(),
        };
    }

    /// <summary>
    /// The IP groups the rules name, as sources or destinations, read so that their addresses are matched: by name (the
    /// last segment of the id). One that cannot be read, does not exist, or lies past the first
    /// <see cref="MaxIpGroups"/> is left out (so it never counts) and said in <paramref name="problems"/>.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> ReadIpGroupsAsync(
        IFirewallPolicyStore store, IEnumerable<FirewallRuleCollectionGroup> groups, ICollection<string> problems, CancellationToken cancellationToken)
    {
        var ipGroups = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        var named = groups.SelectMany(g => g.Rules).SelectMany(r => r.SourceIpGroups.Concat(r.DestinationIpGroups)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (named.Count > MaxIpGroups)
        {
            problems.Add($"The rules name {named.Count} IP groups; the first {MaxIpGroups} are read, and rules that name only the others do not count.");
        }

        foreach (var id in named.Take(MaxIpGroups))
        {
            System.Text.Json.Nodes.JsonObject? resource;
            try
            {
                resource = await store.GetNetworkResourceAsync(id, cancellationToken).ConfigureAwait(false);
            }
            catch (FirewallApplyException ex) when (ex.ErrorId is "AuthorizationFailed" or "ResourceGroupNotFound" or "SubscriptionNotFound" or "InvalidRequest" or "InvalidResourceId")
            {
                problems.Add($"IP group {id} cannot be read ({ex.ErrorId}): rules that name it do not count.");
                continue;
            }

            if (resource is null)
            {
                problems.Add($"IP group {id} does not exist: rules that name it do not count.");
                continue;
            }

            ipGroups[id.TrimEnd('/').Split('/').Last()] = (resource["properties"]?["ipAddresses"] as System.Text.Json.Nodes.JsonArray ?? [])
                .Select(a => a.StringValue() ?? "").Where(a => a.Length > 0).ToList();
        }

        return ipGroups;
    }

    private static string? BasePolicy(FirewallPolicyInfo policy) =>
        policy.Resource["properties"]?["basePolicy"]?["id"].StringValue();
}
