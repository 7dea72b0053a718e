using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AksEgress.Emulation;

/// <summary>
/// A local HTTPS server that answers like Azure Resource Manager for Microsoft.Network firewall policies and rule
/// collection groups (api-version 2024-05-01): ETags and conditional writes (412), 404 with ARM error codes, paged
/// lists, request bodies validated against the REST spec, and writes completed through Azure-AsyncOperation polling
/// that commit the resource atomically when the operation succeeds. Faults are injected per request; every request is
/// recorded. Its certificate is generated per run and trusted only by the transport the tests build.
/// </summary>
public sealed class ArmEmulator : IAsyncDisposable
{
    public const string ApiVersion = "2024-05-01";
    private const string Policies = "/providers/microsoft.network/firewallpolicies/";
    private static readonly Regex PolicyPath = new(@"^/subscriptions/([^/]+)/resourcegroups/([^/]+)/providers/microsoft\.network/firewallpolicies/([^/]+)$", RegexOptions.IgnoreCase);
    private static readonly Regex GroupsPath = new(@"^(/subscriptions/[^/]+/resourcegroups/[^/]+/providers/microsoft\.network/firewallpolicies/[^/]+)/rulecollectiongroups$", RegexOptions.IgnoreCase);
    private static readonly Regex GroupPath = new(@"^(/subscriptions/[^/]+/resourcegroups/[^/]+/providers/microsoft\.network/firewallpolicies/[^/]+)/rulecollectiongroups/([^/]+)$", RegexOptions.IgnoreCase);
    private static readonly Regex OperationPath = new(@"^/subscriptions/[^/]+/providers/microsoft\.network/locations/[^/]+/operations/([^/]+)$", RegexOptions.IgnoreCase);

    private readonly WebApplication _app;
    private readonly object _gate = new();
    private readonly Dictionary<string, JsonObject> _resources = new(StringComparer.OrdinalIgnoreCase);
    // Plain files served at /_emulator/files/<name> (the egress document for Update-AksEgressCatalog -Uri), with their content type.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (string Text, string ContentType)> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _resourceGroups = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _extraSubscriptions = new(StringComparer.OrdinalIgnoreCase);
    private int _tlsHandshakes;
    private readonly Dictionary<string, PendingOperation> _operations = new();
    private readonly ConcurrentQueue<(Func<RecordedRequest, bool> Match, Fault Fault)> _faults = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private int _etag;

    private ArmEmulator(WebApplication app, X509Certificate2 certificate)
    {
        _app = app;
        Certificate = certificate;
    }

    public X509Certificate2 Certificate { get; }
    public Uri Endpoint { get; private set; } = null!;
    /// <summary>Page size of list answers; small so that paging (nextLink) is exercised.</summary>
    public int PageSize { get; set; } = 2;
    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();
    public IEnumerable<RecordedRequest> Writes => Requests.Where(r => r.IsWrite);

    public static async Task<ArmEmulator> StartAsync()
    {
        var certificate = CreateCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        ArmEmulator? created = null;
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(https =>
        {
            https.ServerCertificate = certificate;
            // Counts handshakes, so that tests can tell how often a client tried (a refused certificate is not retried).
            https.OnAuthenticate = (_, _) => Interlocked.Increment(ref created!._tlsHandshakes);
        })));
        var app = builder.Build();
        var emulator = created = new ArmEmulator(app, certificate);
        app.Run(emulator.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        emulator.Endpoint = new Uri(address.Replace("127.0.0.1", "localhost") + "/");
        return emulator;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Certificate.Dispose();
    }

    public void AddResourceGroup(string subscriptionId, string resourceGroup) =>
        _resourceGroups.Add($"/subscriptions/{subscriptionId}/resourceGroups/{resourceGroup}");

    /// <summary>A subscription the credential can see besides those holding resource groups.</summary>
    public void AddSubscription(string subscriptionId) => _extraSubscriptions.Add(subscriptionId);

    /// <summary>GET /subscriptions: those of the resource groups and the added ones, as "Subscription N".</summary>
    private JsonObject Subscriptions()
    {
        var ids = _resourceGroups.Select(g => g.Split('/')[2]).Concat(_extraSubscriptions).Distinct(StringComparer.OrdinalIgnoreCase).OrderBy(i => i, StringComparer.Ordinal).ToList();
        return new JsonObject
        {
            ["value"] = new JsonArray(ids.Select((id, i) => (JsonNode)new JsonObject
            {
                ["id"] = $"/subscriptions/{id}", ["subscriptionId"] = id, ["displayName"] = $"Subscription {i + 1}", ["state"] = "Enabled",
            }).ToArray()),
        };
    }

    /// <summary>Stores a resource as if it existed already (a policy, or someone else's rule collection group).</summary>
    public void Seed(string id, JsonObject resource)
    {
        lock (_gate)
        {
            var stored = resource.DeepClone().AsObject();
            stored["id"] = id;
            stored["name"] = id.Split('/').Last();
            // As ARM answers: the type is the provider namespace and the resource types of the id, unless the test gives one.
            if (stored["type"] is null && id.IndexOf("/providers/", StringComparison.OrdinalIgnoreCase) is var at and >= 0)
            {
                var segments = id[(at + "/providers/".Length)..].Split('/');
                stored["type"] = string.Join("/", segments.Where((_, i) => i == 0 || i % 2 == 1));
            }

            stored["etag"] = NextETag();
            (stored["properties"] ??= new JsonObject())["provisioningState"] ??= "Succeeded"; // unless the test gives one
            _resources[id] = stored;
        }
    }

    public JsonObject? Get(string id)
    {
        lock (_gate)
        {
            return _resources.TryGetValue(id, out var r) ? r.DeepClone().AsObject() : null;
        }
    }

    public void Inject(Func<RecordedRequest, bool> match, Fault fault) => _faults.Enqueue((match, fault));

    private string NextETag() => $"W/\"{Interlocked.Increment(ref _etag):D8}-0000-0000-0000-000000000000\"";

    private async Task HandleAsync(HttpContext context)
    {
        var body = await new StreamReader(context.Request.Body, Encoding.UTF8).ReadToEndAsync();
        if (context.Request.Path.StartsWithSegments("/_emulator"))
        {
            await AdminAsync(context, body);
            return;
        }

        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        var request = new RecordedRequest(context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", headers, body);
        _requests.Enqueue(request);

        var fault = TakeFault(request);
        switch (fault)
        {
            case Fault.DropConnection:
                context.Abort();
                return;
            case Fault.HugeBody huge:
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{\"value\": [], \"padding\": \"");
                var megabyte = new string('x', 1024 * 1024);
                for (var i = 0; i < huge.Megabytes && !context.RequestAborted.IsCancellationRequested; i++)
                {
                    await context.Response.WriteAsync(megabyte, context.RequestAborted);
                }

                await context.Response.WriteAsync("\"}");
                return;
            case Fault.MalformedBody:
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync("{ this is not json");
                return;
            case Fault.Status status:
                if (status.RetryAfterSeconds is { } seconds)
                {
                    context.Response.Headers["Retry-After"] = seconds.ToString();
                }

                await Error(context, status.Code, status.ErrorCode, $"Injected {status.Code} {status.ErrorCode}.");
                return;
        }

        if (!(request.Header("authorization")?.StartsWith("Bearer ", StringComparison.Ordinal) ?? false))
        {
            await Error(context, 401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.");
            return;
        }

        var expectedVersion = request.Path.Contains("/providers/Microsoft.KubernetesConfiguration/", StringComparison.OrdinalIgnoreCase) ? "2023-05-01"
            : request.Path.Equals("/subscriptions", StringComparison.OrdinalIgnoreCase) ? "2022-12-01" : ApiVersion;
        if (!context.Request.Query.TryGetValue("api-version", out var apiVersion) || apiVersion != expectedVersion)
        {
            await Error(context, 400, "InvalidApiVersionParameter", $"The api-version '{apiVersion}' is invalid. The supported versions are '{expectedVersion}'.");
            return;
        }

        var path = request.Path;
        Match m;
        if (request.Method == "GET" && path.Equals("/subscriptions", StringComparison.OrdinalIgnoreCase))
        {
            JsonObject list;
            lock (_gate)
            {
                list = Subscriptions();
            }

            await Json(context, 200, list);
        }
        else if ((m = OperationPath.Match(path)).Success && request.Method == "GET")
        {
            await Operation(context, m.Groups[1].Value);
        }
        else if ((m = PolicyPath.Match(path)).Success)
        {
            await Resource(context, request, path, $"/subscriptions/{m.Groups[1].Value}/resourceGroups/{m.Groups[2].Value}", "Microsoft.Network/firewallPolicies", ValidatePolicy, fault);
        }
        else if ((m = GroupPath.Match(path)).Success)
        {
            var parent = m.Groups[1].Value;
            if (Get(parent) is null)
            {
                await Error(context, 404, "ParentResourceNotFound", $"Failed to perform '{request.Method}' on resource(s) of type 'firewallPolicies/ruleCollectionGroups', because the parent resource '{parent}' could not be found.");
                return;
            }

            await Resource(context, request, path, ResourceGroupOf(path), "Microsoft.Network/FirewallPolicies/RuleCollectionGroups", ValidateGroup, fault);
        }
        else if ((m = GroupsPath.Match(path)).Success && request.Method == "GET")
        {
            if (fault is Fault.SelfNextLink)
            {
                await Json(context, 200, new JsonObject { ["value"] = new JsonArray(), ["nextLink"] = new Uri(Endpoint, path.TrimStart('/') + "?api-version=" + ApiVersion).ToString() });
                return;
            }

            await List(context, m.Groups[1].Value);
        }
        else if (request.Method == "GET" && path.EndsWith("/providers/Microsoft.KubernetesConfiguration/extensions", StringComparison.OrdinalIgnoreCase))
        {
            List<JsonObject> children;
            lock (_gate)
            {
                children = _resources.Where(r => r.Key.StartsWith(path + "/", StringComparison.OrdinalIgnoreCase)).Select(r => r.Value.DeepClone().AsObject()).ToList();
            }

            await Json(context, 200, new JsonObject { ["value"] = new JsonArray(children.Select(c => (JsonNode)c).ToArray()) });
        }
        else if (request.Method == "GET" && path.StartsWith("/subscriptions/", StringComparison.OrdinalIgnoreCase))
        {
            // Any other resource seeded by the tests (managed clusters, virtual networks) is read as ARM reads it.
            if (!_resourceGroups.Contains(ResourceGroupOf(path)))
            {
                await Error(context, 404, "ResourceGroupNotFound", $"Resource group '{path.Split('/')[4]}' could not be found.");
            }
            else if (Get(path) is { } resource)
            {
                await Json(context, 200, resource);
            }
            else
            {
                await Error(context, 404, "ResourceNotFound", $"The Resource '{path}' was not found.");
            }
        }
        else
        {
            await Error(context, 404, "NotFound", $"No route for {request.Method} {path}.");
        }
    }

    /// <summary>Clears every resource, operation, fault and recorded request.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _resources.Clear();
            _operations.Clear();
            _resourceGroups.Clear();
            _extraSubscriptions.Clear();
            _tlsHandshakes = 0;
            _faults.Clear();
            _requests.Clear();
        }
    }

    public Task WaitForShutdownAsync() => Microsoft.Extensions.Hosting.HostingAbstractionsHostExtensions.WaitForShutdownAsync(_app);

    /// <summary>
    /// The test-side controls, for tests in another process (Pester): POST reset, GET requests, POST faults,
    /// GET/PUT resources. They are not recorded and need no token.
    /// </summary>
    private async Task AdminAsync(HttpContext context, string body)
    {
        var query = context.Request.Query;
        if (context.Request.Path.StartsWithSegments("/_emulator/files", out var file))
        {
            var name = file.Value?.TrimStart('/') ?? "";
            if (context.Request.Method == "PUT")
            {
                _files[name] = (body, context.Request.ContentType ?? "text/plain; charset=utf-8");
                context.Response.StatusCode = 204;
            }
            else if (_files.TryGetValue(name, out var served))
            {
                context.Response.ContentType = served.ContentType;
                await context.Response.WriteAsync(served.Text);
            }
            else
            {
                context.Response.StatusCode = 404;
                await context.Response.WriteAsync("404: Not Found");
            }

            return;
        }

        switch (context.Request.Method, context.Request.Path.Value)
        {
            case ("POST", "/_emulator/reset"):
                Reset();
                foreach (var extra in query["subscriptions"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries))
                {
                    AddSubscription(extra);
                }

                if (query["subscription"].ToString() is { Length: > 0 } subscription && query["resourceGroup"].ToString() is { Length: > 0 } group)
                {
                    AddResourceGroup(subscription, group);
                    if (query["cluster"].ToString() is { Length: > 0 } clusterName)
                    {
                        SeedCluster(subscription, group, clusterName);
                    }

                    if (query["policy"].ToString() is { Length: > 0 } policy)
                    {
                        // A firewall that uses the policy (private address 10.0.1.4, where the cluster's route table sends 0.0.0.0/0);
                        // ARM lists it in the policy's read-only properties.firewalls.
                        var firewall = query["firewall"].ToString();
                        var firewallId = $"/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Network/azureFirewalls/{firewall}";
                        Seed($"/subscriptions/{subscription}/resourceGroups/{group}/providers/Microsoft.Network/firewallPolicies/{policy}", new JsonObject
                        {
                            ["location"] = query["location"].ToString() is { Length: > 0 } location ? location : "westeurope",
                            ["properties"] = new JsonObject
                            {
                                ["dnsSettings"] = new JsonObject { ["enableProxy"] = query["dnsProxy"] == "true" },
                                ["firewalls"] = firewall.Length > 0 ? new JsonArray(new JsonObject { ["id"] = firewallId }) : new JsonArray(),
                            },
                        });

                        if (firewall.Length > 0)
                        {
                            Seed(firewallId, JsonNode.Parse($$"""
                                { "location": "westeurope", "properties": {
                                    "firewallPolicy": { "id": "/subscriptions/{{subscription}}/resourceGroups/{{group}}/providers/Microsoft.Network/firewallPolicies/{{policy}}" },
                                    "ipConfigurations": [ { "name": "ipconfig", "properties": { "privateIPAddress": "10.0.1.4" } } ] } }
                                """)!.AsObject());
                        }
                    }
                }

                context.Response.StatusCode = 204;
                return;
            case ("GET", "/_emulator/handshakes"):
                await context.Response.WriteAsync(Volatile.Read(ref _tlsHandshakes).ToString());
                return;
            case ("GET", "/_emulator/requests") when query["format"] == "lines":
                // For hosts without a JSON library (the .NET Framework test host): "METHOD path if-match if-none-match" per line.
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync(string.Concat(Requests.Select(r => $"{r.Method} {r.Path} {r.Header("If-Match") ?? "-"} {r.Header("If-None-Match") ?? "-"}\n")));
                return;
            case ("GET", "/_emulator/requests"):
                await Json(context, 200, new JsonArray(Requests.Select(r => (JsonNode)new JsonObject
                {
                    ["method"] = r.Method, ["path"] = r.Path, ["query"] = r.Query, ["body"] = r.Body,
                    ["headers"] = new JsonObject(r.Headers.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)JsonValue.Create(h.Value)))),
                }).ToArray()));
                return;
            case ("POST", "/_emulator/faults"):
                var spec = JsonNode.Parse(body)!;
                var method = spec["method"]?.GetValue<string>();
                var suffix = spec["pathEndsWith"]?.GetValue<string>() ?? "";
                Fault fault = spec["fault"]!.GetValue<string>() switch
                {
                    "Status" => new Fault.Status(spec["code"]!.GetValue<int>(), spec["errorCode"]!.GetValue<string>(), spec["retryAfter"]?.GetValue<int>()),
                    "DropConnection" => new Fault.DropConnection(),
                    "OperationFails" => new Fault.OperationFails(spec["message"]!.GetValue<string>()),
                    "SlowOperation" => new Fault.SlowOperation(spec["polls"]!.GetValue<int>()),
                    "DropWrite" => new Fault.DropWrite(),
                    "ResetAfterWrite" => new Fault.ResetAfterWrite(),
                    "SelfNextLink" => new Fault.SelfNextLink(),
                    "HugeBody" => new Fault.HugeBody(spec["megabytes"]!.GetValue<int>()),
                    "MalformedBody" => new Fault.MalformedBody(),
                    var other => throw new InvalidOperationException($"Unknown fault {other}."),
                };
                // "times": the same fault for that many matching requests (a persistent one), one by default.
                for (var i = 0; i < (spec["times"]?.GetValue<int>() ?? 1); i++)
                {
                    Inject(r => (method is null || r.Method == method) && r.Path.EndsWith(suffix, StringComparison.OrdinalIgnoreCase), fault);
                }

                context.Response.StatusCode = 204;
                return;
            case ("GET", "/_emulator/resources"):
                if (Get(query["id"].ToString()) is { } resource)
                {
                    await Json(context, 200, resource);
                }
                else
                {
                    context.Response.StatusCode = 404;
                }

                return;
            case ("PUT", "/_emulator/resources"):
                Seed(query["id"].ToString(), JsonNode.Parse(body)!.AsObject());
                context.Response.StatusCode = 204;
                return;
            default:
                context.Response.StatusCode = 404;
                return;
        }
    }

    /// <summary>
    /// A managed cluster as ARM returns one (api-version 2024-05-01): a Linux pool, a Windows pool and a GPU pool in a
    /// virtual network with a custom DNS server, Container insights on, and one cluster extension.
    /// </summary>
    public void SeedCluster(string subscription, string group, string name)
    {
        var rg = $"/subscriptions/{subscription}/resourceGroups/{group}";
        var vnet = $"{rg}/providers/Microsoft.Network/virtualNetworks/vnet-spoke";
        var id = $"{rg}/providers/Microsoft.ContainerService/managedClusters/{name}";
        Seed(vnet, JsonNode.Parse("""{ "location": "westeurope", "properties": { "addressSpace": { "addressPrefixes": ["10.240.0.0/16"] }, "dhcpOptions": { "dnsServers": ["10.0.0.4"] } } }""")!.AsObject());
        Seed(id, JsonNode.Parse($$"""
            { "location": "westeurope", "type": "Microsoft.ContainerService/ManagedClusters",
              "properties": {
                "kubernetesVersion": "1.31.2", "fqdn": "{{name}}-dns-1a2b3c.hcp.westeurope.azmk8s.io",
                "agentPoolProfiles": [
                  { "name": "system", "osType": "Linux", "vmSize": "Standard_D4ds_v5", "mode": "System", "vnetSubnetID": "{{vnet}}/subnets/aks" },
                  { "name": "win1", "osType": "Windows", "vmSize": "Standard_D4ds_v5", "mode": "User", "vnetSubnetID": "{{vnet}}/subnets/aks" },
                  { "name": "gpu", "osType": "Linux", "vmSize": "Standard_NC6s_v3", "mode": "User", "vnetSubnetID": "{{vnet}}/subnets/aks" } ],
                "addonProfiles": { "omsagent": { "enabled": true }, "azurepolicy": { "enabled": false } },
                "apiServerAccessProfile": { "enablePrivateCluster": false },
                "networkProfile": { "networkPlugin": "azure", "outboundType": "userDefinedRouting" } } }
            """)!.AsObject());
        // Its subnet sends all egress to the hub firewall's private address, as the AKS egress procedure sets it up.
        Seed($"{vnet}/subnets/aks", JsonNode.Parse($$"""{ "properties": { "addressPrefix": "10.240.0.0/22", "routeTable": { "id": "{{rg}}/providers/Microsoft.Network/routeTables/rt-aks" } } }""")!.AsObject());
        Seed($"{rg}/providers/Microsoft.Network/routeTables/rt-aks", JsonNode.Parse("""
            { "location": "westeurope", "properties": { "routes": [
              { "name": "to-firewall", "properties": { "addressPrefix": "0.0.0.0/0", "nextHopType": "VirtualAppliance", "nextHopIpAddress": "10.0.1.4" } },
              { "name": "api-server", "properties": { "addressPrefix": "20.50.0.0/16", "nextHopType": "Internet" } } ] } }
            """)!.AsObject());
        Seed($"{id}/providers/Microsoft.KubernetesConfiguration/extensions/flux", JsonNode.Parse("""{ "properties": { "extensionType": "microsoft.flux" } }""")!.AsObject());
    }

    private Fault? TakeFault(RecordedRequest request)
    {
        lock (_gate)
        {
            var pending = _faults.ToList();
            var index = pending.FindIndex(f => f.Match(request));
            if (index < 0)
            {
                return null;
            }

            _faults.Clear();
            foreach (var (f, i) in pending.Select((f, i) => (f, i)).Where(x => x.i != index))
            {
                _faults.Enqueue(f);
            }

            return pending[index].Fault;
        }
    }

    private static string ResourceGroupOf(string path) => string.Join("/", path.Split('/').Take(5));

    private async Task Resource(HttpContext context, RecordedRequest request, string id, string resourceGroup, string type, Func<JsonNode, string?> validate, Fault? fault)
    {
        if (!_resourceGroups.Contains(resourceGroup))
        {
            await Error(context, 404, "ResourceGroupNotFound", $"Resource group '{resourceGroup.Split('/').Last()}' could not be found.");
            return;
        }

        var existing = Get(id);
        if (request.Method == "GET")
        {
            if (existing is null)
            {
                await Error(context, 404, "NotFound", $"Resource {id} not found.");
                return;
            }

            await Json(context, 200, existing);
            return;
        }

        if (request.Method != "PUT")
        {
            await Error(context, 405, "MethodNotAllowed", $"{request.Method} is not supported here.");
            return;
        }

        if (Encoding.UTF8.GetByteCount(request.Body) > 2 * 1024 * 1024)
        {
            await Error(context, 400, "FirewallPolicyRuleCollectionGroupSizeExceeded", "The rule collection group is larger than 2 MB.");
            return;
        }

        JsonObject? body;
        try
        {
            body = JsonNode.Parse(request.Body) as JsonObject;
        }
        catch (System.Text.Json.JsonException ex)
        {
            await Error(context, 400, "InvalidRequestContent", $"The request content was invalid and could not be deserialized: {ex.Message}");
            return;
        }

        var invalid = body is null ? "The request content is not a JSON object." : validate(body);
        if (invalid is not null)
        {
            await Error(context, 400, "InvalidRequestContent", invalid);
            return;
        }

        var ifMatch = request.Header("if-match");
        var ifNoneMatch = request.Header("if-none-match");
        if ((ifNoneMatch == "*" && existing is not null) || (ifMatch is not null && ifMatch != "*" && ifMatch != existing?["etag"]?.GetValue<string>()) || (ifMatch is not null && existing is null))
        {
            await Error(context, 412, "PreconditionFailed", "The condition specified using HTTP conditional header(s) is not met.");
            return;
        }

        var stored = body!.DeepClone().AsObject();
        stored["id"] = id;
        stored["name"] = id.Split('/').Last();
        stored["type"] = type;
        stored["etag"] = NextETag();
        (stored["properties"] ??= new JsonObject())["provisioningState"] = "Succeeded";

        if (fault is Fault.ResetAfterWrite)
        {
            lock (_gate)
            {
                _resources[id] = stored;
            }

            context.Abort();
            return;
        }

        var operationId = Guid.NewGuid().ToString("N");
        lock (_gate)
        {
            _operations[operationId] = new PendingOperation(id, stored, fault switch
            {
                Fault.SlowOperation slow => slow.Polls,
                _ => 1,
            }, (fault as Fault.OperationFails)?.Message)
            { DropWrite = fault is Fault.DropWrite };
        }

        var subscription = id.Split('/')[2];
        context.Response.Headers["Azure-AsyncOperation"] = new Uri(Endpoint, $"subscriptions/{subscription}/providers/Microsoft.Network/locations/westeurope/operations/{operationId}?api-version={ApiVersion}").ToString();
        context.Response.Headers["Retry-After"] = "0";
        var answer = (existing ?? stored).DeepClone().AsObject();
        answer["properties"]!["provisioningState"] = existing is null ? "Creating" : "Updating";
        await Json(context, existing is null ? 201 : 200, answer);
    }

    private async Task Operation(HttpContext context, string operationId)
    {
        PendingOperation? operation;
        lock (_gate)
        {
            _operations.TryGetValue(operationId, out operation);
            if (operation is not null && --operation.PollsLeft <= 0 && !operation.Done)
            {
                operation.Done = true;
                if (operation.FailureMessage is null && !operation.DropWrite)
                {
                    _resources[operation.Id] = operation.Resource; // the whole resource, at once
                }
            }
        }

        if (operation is null)
        {
            await Error(context, 404, "OperationNotFound", $"Operation {operationId} not found.");
            return;
        }

        context.Response.Headers["Retry-After"] = "0";
        var status = !operation.Done ? "InProgress" : operation.FailureMessage is null ? "Succeeded" : "Failed";
        var answer = new JsonObject { ["status"] = status };
        if (operation.FailureMessage is not null && operation.Done)
        {
            answer["error"] = new JsonObject { ["code"] = "FirewallPolicyUpdateFailed", ["message"] = operation.FailureMessage };
        }

        await Json(context, 200, answer);
    }

    private async Task List(HttpContext context, string policyId)
    {
        if (Get(policyId) is null)
        {
            await Error(context, 404, "NotFound", $"Resource {policyId} not found.");
            return;
        }

        List<JsonObject> groups;
        lock (_gate)
        {
            groups = _resources.Where(r => r.Key.StartsWith(policyId + "/ruleCollectionGroups/", StringComparison.OrdinalIgnoreCase))
                .OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Value.DeepClone().AsObject()).ToList();
        }

        var skip = int.TryParse(context.Request.Query["$skiptoken"], out var s) ? s : 0;
        var page = new JsonObject { ["value"] = new JsonArray(groups.Skip(skip).Take(PageSize).Select(g => (JsonNode)g).ToArray()) };
        if (skip + PageSize < groups.Count)
        {
            page["nextLink"] = new Uri(Endpoint, $"{policyId.TrimStart('/')}/ruleCollectionGroups?api-version={ApiVersion}&$skiptoken={skip + PageSize}").ToString();
        }

        await Json(context, 200, page);
    }

    private static string? ValidatePolicy(JsonNode body) =>
        body["location"] is null ? "The 'location' property is required." : null;

    /// <summary>The constraints of FirewallPolicyRuleCollectionGroup in the 2024-05-01 REST spec.</summary>
    public static string? ValidateGroup(JsonNode body)
    {
        var properties = body["properties"];
        if (properties?["priority"]?.GetValue<int>() is not int priority || priority is < 100 or > 65000)
        {
            return "properties.priority must be an integer from 100 to 65000.";
        }

        var collections = properties["ruleCollections"] as JsonArray ?? [];
        var collectionNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var collection in collections)
        {
            var type = collection?["ruleCollectionType"]?.GetValue<string>();
            if (type is not ("FirewallPolicyFilterRuleCollection" or "FirewallPolicyNatRuleCollection"))
            {
                return $"ruleCollectionType '{type}' is not FirewallPolicyFilterRuleCollection or FirewallPolicyNatRuleCollection.";
            }

            var name = collection!["name"]?.GetValue<string>();
            if (string.IsNullOrEmpty(name) || !collectionNames.Add(name))
            {
                return $"Rule collection name '{name}' is missing or not unique.";
            }

            if (collection["priority"]?.GetValue<int>() is not int cp || cp is < 100 or > 65000)
            {
                return $"Rule collection {name}: priority must be from 100 to 65000.";
            }

            if (type == "FirewallPolicyFilterRuleCollection" && collection["action"]?["type"]?.GetValue<string>() is not ("Allow" or "Deny"))
            {
                return $"Rule collection {name}: action.type must be Allow or Deny.";
            }

            var ruleNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var rule in collection["rules"] as JsonArray ?? [])
            {
                if (ValidateRule(rule!, ruleNames) is { } problem)
                {
                    return $"Rule collection {name}: {problem}";
                }
            }
        }

        return null;
    }

    private static string? ValidateRule(JsonNode rule, HashSet<string> names)
    {
        var name = rule["name"]?.GetValue<string>();
        if (string.IsNullOrEmpty(name) || !names.Add(name))
        {
            return $"rule name '{name}' is missing or not unique.";
        }

        var sources = Strings(rule["sourceAddresses"]).Count + Strings(rule["sourceIpGroups"]).Count;
        if (sources == 0)
        {
            return $"rule {name} has no sourceAddresses or sourceIpGroups.";
        }

        switch (rule["ruleType"]?.GetValue<string>())
        {
            case "NetworkRule":
                if (Strings(rule["ipProtocols"]).FirstOrDefault(p => p is not ("TCP" or "UDP" or "Any" or "ICMP")) is { } protocol || Strings(rule["ipProtocols"]).Count == 0)
                {
                    return $"rule {name}: ipProtocols must be TCP, UDP, Any or ICMP.";
                }

                if (Strings(rule["destinationAddresses"]).Count + Strings(rule["destinationFqdns"]).Count + Strings(rule["destinationIpGroups"]).Count == 0)
                {
                    return $"rule {name} has no destination.";
                }

                if (Strings(rule["destinationPorts"]).Count == 0 || Strings(rule["destinationPorts"]).Any(p => !IsPortOrRange(p)))
                {
                    return $"rule {name}: destinationPorts must be ports 1-65535, ranges or *.";
                }

                break;
            case "ApplicationRule":
                var protocols = rule["protocols"] as JsonArray ?? [];
                if (protocols.Count == 0 || protocols.Any(p => p?["protocolType"]?.GetValue<string>() is not ("Http" or "Https" or "Mssql") || p["port"]?.GetValue<int>() is not int port || port is < 0 or > 64000))
                {
                    return $"rule {name}: protocols need protocolType Http, Https or Mssql and a port from 0 to 64000.";
                }

                if (Strings(rule["targetFqdns"]).Count + Strings(rule["fqdnTags"]).Count + Strings(rule["targetUrls"]).Count + Strings(rule["webCategories"]).Count == 0)
                {
                    return $"rule {name} has no target.";
                }

                break;
            default:
                return $"rule {name}: ruleType must be NetworkRule or ApplicationRule in a filter collection.";
        }

        return null;
    }

    private static bool IsPortOrRange(string value) =>
        value == "*" || value.Split('-') is var parts && parts.Length <= 2 && parts.All(p => int.TryParse(p, out var n) && n is >= 1 and <= 65535);

    private static List<string> Strings(JsonNode? node) => (node as JsonArray ?? []).Select(v => v!.GetValue<string>()).ToList();

    private static Task Json(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        if (body is JsonObject resource && resource["etag"]?.GetValue<string>() is { } etag)
        {
            context.Response.Headers.ETag = etag;
        }

        return context.Response.WriteAsync(body.ToJsonString());
    }

    private static Task Error(HttpContext context, int status, string code, string message) =>
        Json(context, status, new JsonObject { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } });

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    private sealed class PendingOperation(string id, JsonObject resource, int polls, string? failureMessage)
    {
        public string Id { get; } = id;
        public JsonObject Resource { get; } = resource;
        public int PollsLeft { get; set; } = polls;
        public string? FailureMessage { get; } = failureMessage;
        public bool Done { get; set; }
        public bool DropWrite { get; init; }
    }
}
