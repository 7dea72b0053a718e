namespace AksEgress.Firewall;

/// <summary>Requirements or options that cannot become a valid rule collection group; <see cref="ErrorId"/> is stable.</summary>
public sealed class FirewallPlanException : Exception
{
    public FirewallPlanException(string errorId, string message, object? target = null)
        : base(message)
    {
        ErrorId = errorId;
        Target = target;
    }

    public string ErrorId { get; }
    public object? Target { get; }
}
