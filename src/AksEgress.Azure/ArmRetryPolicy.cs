using global::Azure;
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

    /// <summary>The longest Retry-After the module waits for; ARM asking for more is an error, not an hour's wait.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(120);

    protected override bool ShouldRetry(HttpMessage message, Exception? exception) =>
        !AsksTooLongAWait(message)
        && ((base.ShouldRetry(message, exception) && TransportFailure.Of(exception) is null && !IsTooLarge(exception)) || IsAnotherOperationInProgress(message));

    private static bool IsTooLarge(Exception? exception)
    {
        for (var ex = exception; ex is not null; ex = ex.InnerException)
        {
            if (ex is ResponseTooLargeException)
            {
                return true;
            }
        }

        return false;
    }

    internal static bool AsksTooLongAWait(HttpMessage message) =>
        message.HasResponse && RetryAfter(message.Response) is { } wait && wait > MaxRetryAfter;

    /// <summary>The wait an answer asks for: retry-after-ms, x-ms-retry-after-ms, or Retry-After in seconds or as a date.</summary>
    internal static TimeSpan? RetryAfter(Response? response)
    {
        if (response is null)
        {
            return null;
        }

        foreach (var header in new[] { "retry-after-ms", "x-ms-retry-after-ms" })
        {
            if (response.Headers.TryGetValue(header, out var ms) && double.TryParse(ms, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var milliseconds))
            {
                return TimeSpan.FromMilliseconds(milliseconds);
            }
        }

        if (!response.Headers.TryGetValue("Retry-After", out var value))
        {
            return null;
        }

        if (double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at - DateTimeOffset.UtcNow : null;
    }

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
