using AksEgress.Catalog;

namespace AksEgress.Requirements;

/// <summary>Turns what a user types ("westeurope", "West Europe", "WESTEUROPE") into the catalog's region name.</summary>
public static class LocationResolver
{
    private const int MaxSuggestions = 3;

    /// <summary>Returns the canonical region name, or throws <see cref="UnknownLocationException"/> naming close matches.</summary>
    public static string Resolve(RuleCatalog catalog, AksCloud cloud, string location)
    {
        var key = Normalize(location);
        var regions = catalog.FindCloud(cloud)?.Regions ?? [];
        var match = regions.FirstOrDefault(r => r == key);
        if (match is not null)
        {
            return match;
        }

        var suggestions = regions
            .Select(r => (Region: r, Distance: Text.EditDistance(r, key)))
            .Where(x => x.Distance <= Math.Max(2, key.Length / 3) || x.Region.StartsWith(key, StringComparison.Ordinal))
            .OrderBy(x => x.Distance).ThenBy(x => x.Region, StringComparer.Ordinal)
            .Take(MaxSuggestions).Select(x => x.Region).ToList();
        var otherClouds = catalog.Clouds.Where(c => c.Name != cloud && c.Regions.Contains(key)).Select(c => c.Name);
        throw new UnknownLocationException(location, cloud, suggestions, otherClouds);
    }

    /// <summary>Region names are lower case without spaces; display names differ only by those.</summary>
    public static string Normalize(string location) =>
        new string(location.Where(c => !char.IsWhiteSpace(c)).ToArray()).ToLowerInvariant();
}
