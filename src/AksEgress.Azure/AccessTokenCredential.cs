using global::Azure.Core;

namespace AksEgress.Azure;

/// <summary>A bearer token obtained elsewhere (az account get-access-token, Get-AzAccessToken), for scripts.</summary>
public sealed class AccessTokenCredential : TokenCredential
{
    private readonly AccessToken _token;

    public AccessTokenCredential(string token) =>
        _token = new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1)); // the real expiry is ARM's to enforce

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => _token;

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => new(_token);
}
