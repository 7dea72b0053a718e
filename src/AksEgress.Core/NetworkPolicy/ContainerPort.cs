namespace AksEgress.NetworkPolicy;

/// <summary>A port a container declares; named ports resolve against these, by name and protocol.</summary>
public sealed record ContainerPort(string? Name, int Port, string Protocol);
