using AksEgress.Catalog;

namespace AksEgress.Requirements;

/// <summary>A location that is not a region of the chosen cloud, with the closest region names.</summary>
public sealed class UnknownLocationException : Exception
{
    public UnknownLocationException(string location, AksCloud cloud, IReadOnlyList<string> suggestions, IEnumerable<AksCloud> cloudsWithIt)
        : base(FormatMessage(location, cloud, suggestions, cloudsWithIt.ToList()))
    {
        Location = location;
        Cloud = cloud;
        Suggestions = suggestions;
    }

    public string Location { get; }
    public AksCloud Cloud { get; }
    public IReadOnlyList<string> Suggestions { get; }

    private static string FormatMessage(string location, AksCloud cloud, IReadOnlyList<string> suggestions, List<AksCloud> cloudsWithIt)
    {
        var message = $"'{location}' is not a region of {cloud}.";
        if (cloudsWithIt.Count > 0)
        {
            message += $" It is a region of {string.Join(", ", cloudsWithIt)}: add -Cloud {cloudsWithIt[0]}.";
        }
        else if (suggestions.Count > 0)
        {
            message += $" Did you mean {string.Join(", ", suggestions.Select(s => $"'{s}'"))}?";
        }

        return message + $" Tab completion lists the regions of {cloud}; a region newer than the catalog needs an updated catalog (-CatalogPath).";
    }
}
