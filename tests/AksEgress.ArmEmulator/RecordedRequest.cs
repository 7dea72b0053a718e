namespace AksEgress.Emulation;

/// <summary>A request as the emulator received it.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var v) ? v : null;

    public bool IsWrite => Method is "PUT" or "PATCH" or "DELETE" or "POST";

    public override string ToString() => $"{Method} {Path}{Query}";
}
