using System.Net;

namespace AksEgress.NetworkPolicy;

/// <summary>Turns what a user types for -From/-To into an endpoint: namespace/name, a name unique across namespaces, or an IP address.</summary>
public static class EndpointResolver
{
    /// <summary>The endpoint, or null with <paramref name="problem"/> saying why (ambiguous, or unknown with the closest names).</summary>
    public static Endpoint? Resolve(ClusterModel cluster, string text, out string? problem, out bool ambiguous)
    {
        problem = null;
        ambiguous = false;
        if (IPAddress.TryParse(text, out var ip))
        {
            return cluster.Pods.FirstOrDefault(p => Equals(p.Ip, ip)) is { } owner ? Endpoint.Of(owner) : Endpoint.Of(ip);
        }

        var matches = text.Contains('/') ? cluster.Pods.Where(p => p.Id == text).ToList() : cluster.Pods.Where(p => p.Name == text).ToList();
        if (matches.Count == 1)
        {
            return Endpoint.Of(matches[0]);
        }

        ambiguous = matches.Count > 1;
        if (ambiguous)
        {
            problem = $"'{text}' names {matches.Count} workloads ({string.Join(", ", matches.Select(m => m.Id))}); write it as namespace/name.";
            return null;
        }

        var closest = cluster.Pods.Select(p => p.Id)
            .OrderBy(id => Math.Min(Text.EditDistance(id, text), Text.EditDistance(id.Substring(id.IndexOf('/') + 1), text)))
            .Take(3).ToList();
        problem = $"'{text}' is no pod or workload of the manifests, nor an IP address." + (closest.Count == 0 ? " The manifests hold no workloads." : $" Closest: {string.Join(", ", closest)}.");
        return null;
    }
}
