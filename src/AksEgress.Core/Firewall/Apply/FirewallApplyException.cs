namespace AksEgress.Firewall;

/// <summary>Applying cannot go on. Nothing was written after the failing step; <see cref="ErrorId"/> is stable.</summary>
public sealed class FirewallApplyException : Exception
{
    public FirewallApplyException(string errorId, FailureKind kind, string message, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Kind = kind;
    }

    public string ErrorId { get; }
    public FailureKind Kind { get; }
}
