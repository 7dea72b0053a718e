using System.Text.Json.Nodes;
using global::Azure.Core;
using global::Azure.Core.Pipeline;
using AksEgress.Emulation;
using AksEgress.Catalog;
using AksEgress.Firewall;
using AksEgress.Requirements;

namespace AksEgress.Azure.Tests;

/// <summary>The subscription, policy and helpers every test uses.</summary>
internal static class TestArm
{
    public const string Subscription = "00000000-0000-0000-0000-000000000001";
    public const string ResourceGroup = "rg-hub";
    public const string PolicyName = "fp-hub";
    public static readonly string PolicyPath = $"/subscriptions/{Subscription}/resourceGroups/{ResourceGroup}/providers/Microsoft.Network/firewallPolicies/{PolicyName}";
    public static readonly string GroupPath = PolicyPath + "/ruleCollectionGroups/aks-egress";
    public static readonly FirewallPolicyId PolicyId = FirewallPolicyId.Parse(PolicyPath);

    public static async Task<ArmEmulator> StartWithPolicyAsync(bool dnsProxy = false)
    {
        var emulator = await ArmEmulator.StartAsync();
        emulator.AddResourceGroup(Subscription, ResourceGroup);
        emulator.Seed(PolicyPath, new JsonObject
        {
            ["location"] = "westeurope",
            ["properties"] = new JsonObject { ["threatIntelMode"] = "Alert", ["dnsSettings"] = new JsonObject { ["enableProxy"] = dnsProxy } },
        });
        return emulator;
    }

    public static ArmFirewallPolicyStore Store(ArmEmulator emulator, int maxRetries = 3) => new(new ArmConnectionOptions
    {
        Endpoint = emulator.Endpoint,
        Credential = new StaticTokenCredential("test-token"),
        // Trusts the emulator's certificate and nothing else; the machine's trust store is never touched.
        Transport = new HttpClientTransport(new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) => certificate?.Thumbprint == emulator.Certificate.Thumbprint,
        }),
        MaxRetries = maxRetries,
        RetryDelay = TimeSpan.FromMilliseconds(10),
        PollInterval = TimeSpan.FromMilliseconds(10),
    });

    public static FirewallRuleCollectionGroup Desired(params AksFeature[] features) => Desired(false, features);

    public static FirewallRuleCollectionGroup Desired(bool includeOptional, params AksFeature[] features) => RuleCollectionGroupBuilder.Build(
        RequirementEngine.Query(RuleCatalog.Embedded, new RequirementQuery { Location = "westeurope", Features = features, IncludeOptional = includeOptional, AsOf = new DateTime(2026, 11, 27) }).Rules,
        new FirewallPlanOptions { SourceAddresses = ["10.240.0.0/16"] });

    public static FirewallApplyRequest Request(FirewallRuleCollectionGroup desired) => new() { PolicyId = PolicyPath, Desired = desired };

    public static Task<FirewallApplyResult> ApplyAsync(ArmEmulator emulator, FirewallApplyRequest request) =>
        new FirewallPolicyApplier(Store(emulator)).ApplyAsync(request, null, CancellationToken.None);

    private sealed class StaticTokenCredential(string token) : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(token, DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(GetToken(requestContext, cancellationToken));
    }
}
