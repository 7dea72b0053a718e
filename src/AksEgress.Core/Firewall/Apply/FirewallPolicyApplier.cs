using System.Text.Json.Nodes;

namespace AksEgress.Firewall;

/// <summary>
/// Applies a desired rule collection group to a firewall policy: read, plan, then at most one conditional PUT of
/// the group (and of the policy, to create it or turn DNS proxy on). When another writer got there first (HTTP 412)
/// it reads again and plans again, a bounded number of times. Every refusal comes before any write.
/// </summary>
public sealed class FirewallPolicyApplier
{
    private readonly IFirewallPolicyStore _store;
    private readonly Action<string> _log;

    public FirewallPolicyApplier(IFirewallPolicyStore store, Action<string>? log = null)
    {
        _store = store;
        _log = log ?? (_ => { });
    }

    public async Task<FirewallPolicyPlan> PlanAsync(FirewallApplyRequest request, CancellationToken cancellationToken)
    {
        var desired = request.Desired;
        var policyId = FirewallPolicyId.Parse(request.PolicyId);
        var policy = await _store.GetPolicyAsync(policyId, cancellationToken).ConfigureAwait(false);
        _log(policy is null ? $"Firewall policy {policyId} does not exist." : $"Read firewall policy {policyId} (ETag {policy.ETag}, DNS proxy {(policy.DnsProxyEnabled ? "on" : "off")}).");
        if (policy is null && request.PolicyLocation is null)
        {
            throw new FirewallApplyException("PolicyNotFound", FailureKind.NotFound,
                $"Firewall policy {policyId.Name} does not exist in resource group {policyId.ResourceGroupName}. Give -PolicyLocation to create it, or check -Name and -ResourceGroupName.");
        }

        var needsDnsProxy = desired.RequiresDnsProxy && policy is { DnsProxyEnabled: false };
        if (needsDnsProxy && !request.EnableDnsProxy)
        {
            var rules = string.Join(", ", desired.Rules.Where(r => r.DestinationFqdns.Count > 0).Select(r => r.Name));
            throw new FirewallApplyException("DnsProxyRequired", FailureKind.InvalidOperation,
                $"Network rules with FQDN destinations ({rules}) need DNS proxy, which is off in firewall policy {policyId.Name}; Azure Firewall would not match them. Add -EnableDnsProxy to turn it on, or leave those rules out.");
        }

        var groups = policy is null ? [] : await _store.ListGroupsAsync(policyId, cancellationToken).ConfigureAwait(false);
        var current = groups.FirstOrDefault(g => string.Equals(g.Group.Name, desired.Name, StringComparison.OrdinalIgnoreCase));
        if (groups.FirstOrDefault(g => g != current && g.Group.Priority == desired.Priority) is { } clash)
        {
            throw new FirewallApplyException("PriorityInUse", FailureKind.Conflict,
                $"Rule collection group {clash.Group.Name} already has priority {desired.Priority}. Choose a free priority with -Priority (in use: {string.Join(", ", groups.Select(g => g.Group.Priority).OrderBy(p => p))}).");
        }

        if (current is not null && !current.Group.IsManagedByAksEgress && !request.Force)
        {
            throw new FirewallApplyException("GroupNotOwned", FailureKind.Conflict,
                $"Rule collection group {desired.Name} exists and was not written by AksEgress: writing would replace its rules. Choose another -RuleCollectionGroupName, or add -Force to take it over.");
        }

        var diff = RuleCollectionGroupDiff.Compare(desired, current?.Group);
        return new FirewallPolicyPlan
        {
            PolicyId = policyId.ToString(), PolicyName = policyId.Name, Desired = desired, Policy = policy, Current = current, Diff = diff,
            CreatePolicyIn = policy is null ? request.PolicyLocation : null, EnableDnsProxy = needsDnsProxy,
        };
    }

    /// <summary>Applies; <paramref name="confirmed"/> is the plan the user saw, used for the first attempt.</summary>
    public async Task<FirewallApplyResult> ApplyAsync(FirewallApplyRequest request, FirewallPolicyPlan? confirmed, CancellationToken cancellationToken)
    {
        var policyId = FirewallPolicyId.Parse(request.PolicyId);
        var policyCreated = false;
        var dnsProxyEnabled = false;
        // The action of a group PUT whose answer never came (or came as a 412 on a retried try): it may have landed.
        FirewallAction? sent = null;
        for (var attempt = 1; attempt <= Math.Max(1, request.MaxAttempts); attempt++)
        {
            var plan = attempt == 1 && confirmed is not null ? confirmed : await PlanAsync(request, cancellationToken).ConfigureAwait(false);
            try
            {
                if (plan.CreatePolicyIn is not null)
                {
                    _log($"Creating firewall policy {policyId.Name} in {plan.CreatePolicyIn} with DNS proxy on.");
                    await _store.PutPolicyAsync(policyId, NewPolicy(plan.CreatePolicyIn), ifMatch: null, cancellationToken).ConfigureAwait(false);
                    policyCreated = true;
                    plan = await PlanAsync(request, cancellationToken).ConfigureAwait(false);
                }
                else if (plan.EnableDnsProxy)
                {
                    _log($"Turning DNS proxy on in firewall policy {policyId.Name} (If-Match {plan.Policy!.ETag}).");
                    await _store.PutPolicyAsync(policyId, WithDnsProxy(plan.Policy.Resource), plan.Policy.ETag, cancellationToken).ConfigureAwait(false);
                    dnsProxyEnabled = true;
                    plan = await PlanAsync(request, cancellationToken).ConfigureAwait(false);
                }

                if (plan.Action is FirewallAction.None)
                {
                    // Read back: when an earlier try's PUT landed without its answer, say what was done, not "None".
                    var done = sent ?? FirewallAction.None;
                    _log(sent is null
                        ? $"Rule collection group {plan.Desired.Name} is in sync; nothing to write."
                        : $"Rule collection group {plan.Desired.Name} holds the rules written: an earlier try's write landed though its answer was lost.");
                    return Result(plan, done, plan.Current, attempt, policyCreated, dnsProxyEnabled);
                }

                _log($"Writing rule collection group {plan.Desired.Name}: {plan.Diff.RuleChanges.Count} rule changes, " +
                     (plan.Current is null ? "only if it does not exist yet (If-None-Match *)." : $"only if unchanged (If-Match {plan.Current.ETag})."));
                sent = plan.Action;
                var stored = await _store.PutGroupAsync(policyId, plan.Desired, plan.Current?.ETag, cancellationToken).ConfigureAwait(false);
                _log($"Rule collection group {plan.Desired.Name} written: ETag {stored.ETag}, provisioning state {stored.ProvisioningState}.");
                // The result says what ARM holds: the group as read back after the write, compared with what was written.
                // Still the ETag it had before: the write was accepted but not stored. Another ETag with other rules:
                // another writer came after this write (a concurrent run), which is said, not an error.
                var readBack = RuleCollectionGroupDiff.Compare(plan.Desired, stored.Group);
                // (A create that was not stored reads back as no group at all, which the store reports.)
                var unchanged = plan.Current is not null && stored.ETag == plan.Current.ETag;
                if (!readBack.InSync && !unchanged)
                {
                    _log($"Rule collection group {plan.Desired.Name} was changed again by another writer right after this write (ETag {stored.ETag}).");
                }
                else if (!readBack.InSync)
                {
                    throw new FirewallApplyException("WriteNotApplied", FailureKind.Failed,
                        $"ARM accepted the write of rule collection group {plan.Desired.Name}, but reading it back shows {readBack.RuleChanges.Count} rules still to change (first: {readBack.RuleChanges.FirstOrDefault()}). "
                        + "Run the command again; if it persists, look for an Azure Policy assignment (deny or modify effects) or a lock on the firewall policy.");
                }

                return Result(plan, plan.Action, stored, attempt, policyCreated, dnsProxyEnabled);
            }
            catch (FirewallPreconditionFailedException)
            {
                _log($"Another writer changed the policy since it was read (412, attempt {attempt} of {request.MaxAttempts}); reading it again.");
            }
        }

        throw new FirewallApplyException("ConcurrentModification", FailureKind.Conflict,
            $"Firewall policy {policyId.Name} kept changing while it was being written ({request.MaxAttempts} attempts). Nothing of this attempt was written; run the command again.");
    }

    private static FirewallApplyResult Result(FirewallPolicyPlan plan, FirewallAction action, StoredRuleCollectionGroup? stored, int attempts, bool policyCreated, bool dnsProxyEnabled) => new()
    {
        PolicyId = plan.PolicyId,
        RuleCollectionGroup = plan.Desired.Name,
        ActionValue = action,
        PolicyCreated = policyCreated,
        // The state after the call: the plan was read again after creating the policy or turning DNS proxy on.
        DnsProxyEnabled = plan.Policy?.DnsProxyEnabled ?? dnsProxyEnabled,
        Changes = action is FirewallAction.None ? DisplayList<RuleChange>.Empty : new DisplayList<RuleChange>(plan.Diff.RuleChanges.ToList()),
        ETag = stored?.ETag,
        ProvisioningState = stored?.ProvisioningState,
        Attempts = attempts,
    };

    private static JsonObject NewPolicy(string location) => new()
    {
        ["location"] = location,
        ["properties"] = new JsonObject { ["dnsSettings"] = new JsonObject { ["enableProxy"] = true } },
    };

    /// <summary>The policy as read, without its read-only parts, with DNS proxy on: a policy PUT replaces the whole policy.</summary>
    private static JsonObject WithDnsProxy(JsonObject resource)
    {
        var policy = resource.DeepClone().AsObject();
        foreach (var readOnly in new[] { "id", "name", "type", "etag" })
        {
            policy.Remove(readOnly);
        }

        var properties = policy["properties"] as JsonObject ?? new JsonObject();
        foreach (var readOnly in new[] { "provisioningState", "size", "ruleCollectionGroups", "firewalls", "childPolicies" })
        {
            properties.Remove(readOnly);
        }

        var dns = properties["dnsSettings"] as JsonObject ?? new JsonObject();
        dns["enableProxy"] = true;
        properties["dnsSettings"] = dns;
        policy["properties"] = properties;
        return policy;
    }
}
