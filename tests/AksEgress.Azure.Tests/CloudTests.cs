using System.Net;
using global::Azure.Core;
using global::Azure.Core.Pipeline;
using AksEgress.Catalog;

namespace AksEgress.Azure.Tests;

/// <summary>-Cloud chooses the ARM endpoint the requests go to and the audience of the token asked for.</summary>
public class CloudTests
{
    // Azure public's ARM resource is registered as "https://management.azure.com/" (trailing slash), and a v2 scope is the
    // resource followed by "/.default": hence the double slash there.
    [Theory]
    [InlineData(AksCloud.AzureCloud, "management.azure.com", "https://management.azure.com//.default", "https://login.microsoftonline.com/")]
    [InlineData(AksCloud.AzureChinaCloud, "management.chinacloudapi.cn", "https://management.chinacloudapi.cn/.default", "https://login.chinacloudapi.cn/")]
    [InlineData(AksCloud.AzureUSGovernment, "management.usgovcloudapi.net", "https://management.usgovcloudapi.net/.default", "https://login.microsoftonline.us/")]
    public async Task Each_cloud_talks_to_its_own_arm_endpoint_with_a_token_for_it(AksCloud cloud, string host, string scope, string authority)
    {
        var handler = new RecordingHandler();
        var credential = new RecordingCredential();
        var store = new ArmFirewallPolicyStore(new ArmConnectionOptions { Cloud = cloud, Credential = credential, Transport = new HttpClientTransport(handler), MaxRetries = 0 });

        await store.GetPolicyAsync(TestArm.PolicyId, CancellationToken.None);

        Assert.Equal(host, handler.Requests.Single().Host);
        Assert.Equal("/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-hub/providers/Microsoft.Network/firewallPolicies/fp-hub", handler.Requests.Single().AbsolutePath);
        Assert.Equal([scope], credential.Scopes);
        Assert.Equal(new Uri(authority), AzureClouds.AuthorityHost(cloud));
    }

    [Fact]
    public async Task An_endpoint_override_replaces_the_cloud_endpoint()
    {
        var handler = new RecordingHandler();
        var store = new ArmFirewallPolicyStore(new ArmConnectionOptions { Endpoint = new Uri("https://management.local.azurestack.external/"), Credential = new RecordingCredential(), Transport = new HttpClientTransport(handler), MaxRetries = 0 });
        await store.GetPolicyAsync(TestArm.PolicyId, CancellationToken.None);
        Assert.Equal("management.local.azurestack.external", handler.Requests.Single().Host);
    }

    private sealed class RecordingHandler : HttpMessageHandler
    {
        public List<Uri> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(request.RequestUri!);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("""{"error":{"code":"ResourceNotFound","message":"none"}}""") });
        }
    }

    private sealed class RecordingCredential : TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.AddRange(requestContext.Scopes);
            return new AccessToken("t", DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(GetToken(requestContext, cancellationToken));
    }
}
