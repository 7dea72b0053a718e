using global::Azure;

namespace AksEgress.Azure;

/// <summary>ARM failures (HTTP status and ARM error code, or a transport that never answered) in the module's ErrorIds.</summary>
public static class ArmErrors
{
    /// <summary>A failure of ARM, of the transport, or of signing in, which <see cref="Translate"/> turns into the module's errors.</summary>
    public static bool IsArmFailure(Exception ex) => ex is RequestFailedException or AggregateException or global::Azure.Identity.AuthenticationFailedException or System.Text.Json.JsonException or ResponseTooLargeException;

    /// <summary>ARM's failures in the words of this module, with ARM's own message kept.</summary>
    public static FirewallApplyException Translate(Exception failure)
    {
        if (failure is global::Azure.Identity.AuthenticationFailedException auth)
        {
            return new FirewallApplyException("AuthenticationFailed", FailureKind.Authentication,
                "No credential could sign in to Azure. " + auth.Message + " Sign in with 'az login' or 'Connect-AzAccount', run where a managed identity is assigned, or give -AccessToken.", auth);
        }

        for (var inner = failure; inner is not null; inner = inner.InnerException)
        {
            if (inner is ResponseTooLargeException tooLarge)
            {
                return new FirewallApplyException("ArmResponseInvalid", FailureKind.InvalidData, tooLarge.Message, failure);
            }
        }

        if (TransportFailure.Of(failure) is { } transport)
        {
            return new FirewallApplyException(transport.ErrorId, FailureKind.Failed, transport.Message, failure);
        }

        // Azure.Core reports a transport that failed on every retry as an AggregateException of status-0 failures.
        if (failure is AggregateException aggregate)
        {
            var inner = aggregate.Flatten().InnerExceptions;
            return new FirewallApplyException("ArmUnreachable", FailureKind.Failed,
                $"ARM could not be reached after {inner.Count} tries: {FirstLine(inner.LastOrDefault()?.Message ?? aggregate.Message)} Check the network path to the ARM endpoint.", aggregate);
        }

        if (failure is System.Text.Json.JsonException json)
        {
            return new FirewallApplyException("ArmResponseInvalid", FailureKind.InvalidData, $"ARM's answer is not the JSON it should be: {FirstLine(json.Message)}", json);
        }

        var ex = (RequestFailedException)failure;
        if (ex.Status is 409 or 429 or 503 && ArmRetryPolicy.RetryAfter(ex.GetRawResponse()) is { } wait && wait > ArmRetryPolicy.MaxRetryAfter)
        {
            return new FirewallApplyException("ArmRetryAfterTooLong", FailureKind.Failed,
                $"ARM asked to wait {wait.TotalSeconds:0} s before trying again ({ex.Status} {ex.ErrorCode}); the module waits at most {ArmRetryPolicy.MaxRetryAfter.TotalSeconds:0} s. Run the command again later.", ex);
        }

        var (id, kind, hint) = (ex.Status, ex.ErrorCode) switch
        {
            (0, _) => ("ArmUnreachable", FailureKind.Failed, "ARM could not be reached; check the network path to the ARM endpoint."),
            (404, "ResourceGroupNotFound") => ("ResourceGroupNotFound", FailureKind.NotFound, "The resource group does not exist; create it or check -ResourceGroupName."),
            (404, "SubscriptionNotFound") => ("SubscriptionNotFound", FailureKind.NotFound, "The subscription does not exist or is not visible to this identity."),
            (401, _) => ("AuthenticationFailed", FailureKind.Authentication, "The token was refused; sign in again or give a valid -AccessToken."),
            (403, _) => ("AuthorizationFailed", FailureKind.PermissionDenied, "The identity lacks permission: it needs Microsoft.Network/firewallPolicies/read and /ruleCollectionGroups/write on the policy (Network Contributor covers both)."),
            (400, _) => ("InvalidRequest", FailureKind.InvalidData, "ARM refused the request body."),
            (409, _) => ("Conflict", FailureKind.Conflict, "ARM reported a conflict that did not clear after the retries."),
            (429, _) => ("Throttled", FailureKind.Failed, "ARM kept throttling the requests after the retries."),
            ( >= 500, _) => ("ArmUnavailable", FailureKind.Failed, "ARM kept failing after the retries; try again later."),
            _ => ("OperationFailed", FailureKind.Failed, "The operation failed."),
        };
        return new FirewallApplyException(id, kind, $"{hint} ARM said ({ex.Status} {ex.ErrorCode}): {FirstLine(ex.Message)}", ex);
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
