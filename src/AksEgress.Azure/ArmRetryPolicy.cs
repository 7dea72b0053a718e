using global::Azure.Core;
using global::Azure.Core.Pipeline;

namespace AksEgress.Azure;

/// <summary>
/// Azure.Core's retry policy (408, 429, 5xx and dropped connections, honouring Retry-After), plus ARM's
/// 409 AnotherOperationInProgress: the firewall policy is busy with another write, which ends on its own. A certificate
/// that is not trusted, or a host name that does not resolve, will not change by waiting: those are not retried.
/// </summary>
internal sealed class ArmRetryPolicy : RetryPolicy
{
    public ArmRetryPolicy(int maxRetries, DelayStrategy delay)
        : base(maxRetries, delay)
    {
    }

    protected override bool ShouldRetry(HttpMessage message, Exception? exception) =>
        (base.ShouldRetry(message, exception) && TransportFailure.Of(exception) is null) || IsAnotherOperationInProgress(message);

    protected override ValueTask<bool> ShouldRetryAsync(HttpMessage message, Exception? exception) =>
        new(ShouldRetry(message, exception));

    private static bool IsAnotherOperationInProgress(HttpMessage message)
    {
        if (!message.HasResponse || message.Response.Status != 409)
        {
            return false;
        }

        var body = message.Response.Content?.ToString() ?? "";
        return body.IndexOf("AnotherOperationInProgress", StringComparison.OrdinalIgnoreCase) >= 0;
    }
}
