using System.Text.Json.Nodes;
using global::Azure.Core;

namespace AksEgress.Azure;

/// <summary>Which subscription a command works in, and where that came from (said with -Verbose).</summary>
public sealed record SubscriptionChoice(string Id, string Source);

/// <summary>
/// The subscription, found where Azure users already have it, in this order: -SubscriptionId; AZURE_SUBSCRIPTION_ID; the
/// Az PowerShell context (when Az.Accounts is loaded: the cmdlet reads it and passes it in); the Azure CLI's default
/// subscription (azureProfile.json in AZURE_CONFIG_DIR or ~/.azure); the only enabled subscription the credential can
/// see. When none gives one, the error lists what was tried.
/// </summary>
public static class SubscriptionResolver
{
    public const string ListApiVersion = "2022-12-01";

    public static async Task<SubscriptionChoice> ResolveAsync(
        string? subscriptionId, string? azContextSubscriptionId, Func<CancellationToken, Task<IReadOnlyList<(string Id, string Name)>>> listSubscriptions, CancellationToken cancellationToken)
    {
        var tried = new List<string>();
        if (Usable(subscriptionId))
        {
            return new SubscriptionChoice(subscriptionId!, "-SubscriptionId");
        }

        tried.Add("-SubscriptionId (not given)");
        if (Environment.GetEnvironmentVariable("AZURE_SUBSCRIPTION_ID") is { } fromEnvironment && Usable(fromEnvironment))
        {
            return new SubscriptionChoice(fromEnvironment.Trim(), "the AZURE_SUBSCRIPTION_ID environment variable");
        }

        tried.Add("AZURE_SUBSCRIPTION_ID (not set)");
        if (Usable(azContextSubscriptionId))
        {
            return new SubscriptionChoice(azContextSubscriptionId!, "the Az PowerShell context (Get-AzContext)");
        }

        tried.Add("the Az PowerShell context (Az.Accounts not loaded, or no context)");
        var (cliSubscription, cliProfile) = AzureCliDefault();
        if (cliSubscription is not null)
        {
            return new SubscriptionChoice(cliSubscription, $"the Azure CLI's default subscription ({cliProfile})");
        }

        tried.Add($"the Azure CLI's default subscription ({cliProfile}: none)");
        IReadOnlyList<(string Id, string Name)> visible;
        try
        {
            visible = await listSubscriptions(cancellationToken).ConfigureAwait(false);
        }
        // A credential that cannot sign in, or an endpoint that cannot be reached, is the real problem: said as it is.
        catch (FirewallApplyException ex) when (ex.ErrorId is not "ArmCertificateUntrusted" and not "ArmHostNotFound" and not "AuthenticationFailed")
        {
            throw Required(tried.Append($"the subscriptions the credential can see (listing them failed: {ex.Message})"), []);
        }

        if (visible.Count == 1)
        {
            return new SubscriptionChoice(visible[0].Id, $"the only subscription the credential can see ({visible[0].Name})");
        }

        throw Required(tried.Append($"the subscriptions the credential can see ({(visible.Count == 0 ? "none" : $"{visible.Count}, so it is ambiguous")})"), visible);
    }

    /// <summary>GET /subscriptions: the enabled subscriptions the credential can see, every page.</summary>
    internal static async Task<IReadOnlyList<(string Id, string Name)>> ListAsync(ArmPipeline arm, CancellationToken cancellationToken)
    {
        var found = new List<(string, string)>();
        string? next = "/subscriptions";
        var pages = new HashSet<string>(StringComparer.Ordinal);
        while (next is not null)
        {
            ArmPipeline.NextPage(pages, next);
            var response = ArmPipeline.Ensure(await arm.SendAsync(RequestMethod.Get, next, ListApiVersion, null, null, cancellationToken).ConfigureAwait(false));
            var page = JsonNode.Parse(response.Content.ToString());
            foreach (var item in page?["value"]?.AsArray() ?? [])
            {
                if (item?["subscriptionId"]?.GetValue<string>() is { } id && item["state"]?.GetValue<string>() is null or "Enabled")
                {
                    found.Add((id, item["displayName"]?.GetValue<string>() ?? id));
                }
            }

            next = page?["nextLink"]?.GetValue<string>();
        }

        return found;
    }

    private static bool Usable(string? value) => !string.IsNullOrWhiteSpace(value);

    /// <summary>The subscription marked isDefault in the Azure CLI's profile; the profile's path is said either way.</summary>
    private static (string? Id, string Profile) AzureCliDefault()
    {
        var folder = Environment.GetEnvironmentVariable("AZURE_CONFIG_DIR") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".azure");
        var profile = Path.Combine(folder, "azureProfile.json");
        try
        {
            if (!File.Exists(profile))
            {
                return (null, profile);
            }

            // The CLI writes it with a byte order mark.
            var json = JsonNode.Parse(File.ReadAllText(profile).TrimStart('\uFEFF'));
            var chosen = json?["subscriptions"]?.AsArray().FirstOrDefault(s => s?["isDefault"]?.GetValue<bool>() == true);
            return (chosen?["id"]?.GetValue<string>(), profile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or InvalidOperationException)
        {
            return (null, $"{profile}, unreadable: {ex.Message}");
        }
    }

    private static FirewallApplyException Required(IEnumerable<string> tried, IReadOnlyList<(string Id, string Name)> candidates) =>
        new("SubscriptionRequired", FailureKind.InvalidOperation,
            "No subscription was given and none could be found. Tried: " + string.Join("; ", tried) + "."
            + (candidates.Count > 1 ? $" Visible: {string.Join(", ", candidates.Select(c => $"{c.Name} ({c.Id})"))}." : "")
            + " Give -SubscriptionId, set AZURE_SUBSCRIPTION_ID, run Set-AzContext or 'az account set', or give the whole resource id.");
}
