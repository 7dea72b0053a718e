using System.Text;
using System.Text.Json.Nodes;
using global::Azure;
using global::Azure.Core;
using global::Azure.Core.Pipeline;
using global::Azure.ResourceManager;

namespace AksEgress.Azure;

/// <summary>
/// The one HTTP path to ARM: the pipeline of an <see cref="ArmClient"/> (its credential, endpoint, logging and retry
/// policy, plus ARM's 409 AnotherOperationInProgress), reached through ArmResource, which exposes it to derived types.
/// </summary>
internal sealed class ArmPipeline
{
    public ArmPipeline(ArmConnectionOptions options)
    {
        var environment = AzureClouds.Environment(options.Cloud);
        var clientOptions = new ArmClientOptions
        {
            Environment = options.Endpoint is null ? environment : new ArmEnvironment(options.Endpoint, environment.Audience),
            RetryPolicy = new ArmRetryPolicy(options.MaxRetries, DelayStrategy.CreateExponentialDelayStrategy(options.RetryDelay, TimeSpan.FromSeconds(60))),
        };
        clientOptions.SetApiVersion(new ResourceType("Microsoft.Network/firewallPolicies"), RuleCollectionGroupApiVersion);
        clientOptions.SetApiVersion(new ResourceType(Firewall.RuleCollectionGroupJson.ResourceType), RuleCollectionGroupApiVersion);
        // Tests give their own transport (trusting only their emulator); otherwise Azure.Core's, with answers bounded in size.
        clientOptions.Transport = options.Transport ?? new HttpClientTransport(new System.Net.Http.HttpClient(
            new ResponseSizeLimit(new System.Net.Http.HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }, ResponseSizeLimit.DefaultMaxBytes))
        {
            Timeout = Timeout.InfiniteTimeSpan, // Azure.Core times each try out itself (NetworkTimeout), and the call has its deadline
        });

        var access = new PipelineAccess(new ArmClient(options.Credential, defaultSubscriptionId: null, clientOptions));
        Pipeline = access.HttpPipeline;
        Endpoint = access.BaseUri;
        PollInterval = options.PollInterval;
    }

    private const string RuleCollectionGroupApiVersion = Firewall.RuleCollectionGroupJson.ApiVersion;

    public HttpPipeline Pipeline { get; }
    public Uri Endpoint { get; }
    public TimeSpan PollInterval { get; }

    public Uri Url(string path, string apiVersion) => new(Endpoint, path + "?api-version=" + apiVersion);

    public async Task<Response> SendAsync(RequestMethod method, string pathOrUrl, string apiVersion, JsonObject? body, string? ifMatch, CancellationToken cancellationToken)
    {
        // Not disposed here: the response is buffered and read by the caller; disposing the message would release it.
        var message = Pipeline.CreateMessage();
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(pathOrUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? new Uri(pathOrUrl) : Url(pathOrUrl, apiVersion));
        request.Headers.Add("Accept", "application/json");
        if (body is not null)
        {
            request.Headers.Add("Content-Type", "application/json");
            request.Content = RequestContent.Create(Encoding.UTF8.GetBytes(body.ToJsonString()));
            // A write is conditional: on the ETag read, or, for a create, on nothing being there yet.
            request.Headers.Add(ifMatch is null ? "If-None-Match" : "If-Match", ifMatch ?? "*");
        }

        await Pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return message.Response;
    }

    /// <summary>GET a resource as JSON; null when ARM answers 404 ResourceNotFound (other failures throw).</summary>
    public async Task<JsonNode?> GetAsync(string path, string apiVersion, CancellationToken cancellationToken)
    {
        var response = await SendAsync(RequestMethod.Get, path, apiVersion, null, null, cancellationToken).ConfigureAwait(false);
        if (response.Status == 404 && ErrorCode(response) is not "ResourceGroupNotFound" and not "SubscriptionNotFound")
        {
            return null;
        }

        return JsonNode.Parse(Ensure(response).Content.ToString());
    }

    /// <summary>Paging that comes back to a page already read, or goes on past 1,000 pages, is an error, not a loop.</summary>
    public static void NextPage(HashSet<string> seen, string next)
    {
        if (!seen.Add(next) || seen.Count > 1000)
        {
            throw new FirewallApplyException("ArmResponseInvalid", FailureKind.InvalidData,
                seen.Count > 1000 ? "ARM's list went on past 1,000 pages; it is not read further." : $"ARM's list comes back to a page it already gave ({next}); it is not read further.");
        }
    }

    public static Response Ensure(Response response) =>
        response.Status is >= 200 and < 300 ? response : throw new RequestFailedException(response);

    public static string? ErrorCode(Response response)
    {
        try
        {
            return JsonNode.Parse(response.Content.ToString())?["error"]?["code"]?.GetValue<string>();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private sealed class PipelineAccess : ArmResource
    {
        public PipelineAccess(ArmClient client)
            : base(client, ResourceIdentifier.Root)
        {
        }

        public HttpPipeline HttpPipeline => Pipeline;

        public Uri BaseUri => Endpoint;
    }
}
