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

    /// <summary>Accept the write and report its operation Succeeded, but store nothing (what a user saw once: Action=Update, and no change).</summary>
    public sealed record DropWrite : Fault;

    /// <summary>Store the write at once, then close the connection without an answer (the client cannot know it landed).</summary>
    public sealed record ResetAfterWrite : Fault;

    /// <summary>Answer a list with a nextLink that points at the same page, for ever.</summary>
    public sealed record SelfNextLink : Fault;

    /// <summary>Answer 200 with a JSON body of this many megabytes.</summary>
    public sealed record HugeBody(int Megabytes) : Fault;

    /// <summary>Answer 200 with a body that is not JSON.</summary>
    public sealed record MalformedBody : Fault;
}
