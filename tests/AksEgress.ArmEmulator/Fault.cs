namespace AksEgress.Emulation;

/// <summary>What the emulator does instead of (or on top of) answering a matching request.</summary>
public abstract record Fault
{
    /// <summary>Answer with this status and ARM error code, optionally with Retry-After, without touching the state.</summary>
    public sealed record Status(int Code, string ErrorCode, int? RetryAfterSeconds = null) : Fault;

    /// <summary>Close the connection without an answer, before the request is processed.</summary>
    public sealed record DropConnection : Fault;

    /// <summary>Accept the write, then end its long-running operation as Failed with this message; nothing is stored.</summary>
    public sealed record OperationFails(string Message) : Fault;

    /// <summary>Accept the write and report InProgress this many times before the operation succeeds.</summary>
    public sealed record SlowOperation(int Polls) : Fault;
}
