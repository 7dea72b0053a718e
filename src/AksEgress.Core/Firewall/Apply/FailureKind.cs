namespace AksEgress.Firewall;

/// <summary>The kind of a failure, for callers that map it to their own categories (PowerShell's ErrorCategory).</summary>
public enum FailureKind
{
    NotFound,
    PermissionDenied,
    Authentication,
    Conflict,
    InvalidData,
    InvalidOperation,
    Failed,
}
