namespace AksEgress.Catalog.Import;

/// <summary>
/// The per-user catalog Update-AksEgressCatalog writes by default, which every cmdlet then uses instead of the embedded
/// one when it is newer (its 'published' date is later, or the same day's update of the embedded catalog). It lives at AKSEGRESS_USER_CATALOG when that is set, else
/// under the user's local application data: %LOCALAPPDATA%\AksEgress on Windows, ~/.local/share/AksEgress elsewhere.
/// </summary>
public static class UserCatalog
{
    public const string FileName = "aks-egress-catalog.yaml";

    /// <summary>The path, or null where the user has no local application data folder.</summary>
    public static string? Path
    {
        get
        {
            if (Environment.GetEnvironmentVariable("AKSEGRESS_USER_CATALOG") is { Length: > 0 } configured)
            {
                return configured;
            }

            var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify);
            return string.IsNullOrEmpty(local) ? null : System.IO.Path.Combine(local, "AksEgress", FileName);
        }
    }

    /// <summary>
    /// The per-user catalog when it exists and is newer than <paramref name="embedded"/>; otherwise null, with the reason
    /// in <paramref name="why"/> (null when there is no such file) and <paramref name="broken"/> set when the file does not
    /// validate or cannot be read: it is then never used.
    /// </summary>
    public static RuleCatalog? Newer(RuleCatalog embedded, out string? why, out bool broken)
    {
        why = null;
        broken = false;
        if (Path is not { } path || !File.Exists(path))
        {
            return null;
        }

        try
        {
            var catalog = Cached(path);
            // Newer: published later, or on the same day as an update of this very catalog (its version is "<embedded>+doc.<date>").
            if (catalog.Published > embedded.Published
                || (catalog.Published == embedded.Published && catalog.Version.StartsWith(embedded.Version + "+", StringComparison.Ordinal)))
            {
                return catalog;
            }

            why = $"The per-user catalog {path} (published {catalog.Published:yyyy-MM-dd}) is not newer than the embedded one (published {embedded.Published:yyyy-MM-dd}): the embedded catalog is used.";
        }
        catch (Exception ex) when (ex is CatalogException or IOException or UnauthorizedAccessException)
        {
            why = $"The per-user catalog {path} is not used: {ex.Message} Run Update-AksEgressCatalog again, or delete the file.";
            broken = true;
        }

        return null;
    }

    private static (string Path, DateTime Written, long Length, string Text, RuleCatalog Catalog)? _cache;

    /// <summary>The text the per-user catalog <paramref name="catalog"/> was read from (which an update amends), read once with it.</summary>
    public static string TextOf(RuleCatalog catalog) =>
        _cache is { } c && ReferenceEquals(c.Catalog, catalog) ? c.Text : TextFile.Read(catalog.Origin, MaxBytes);

    private const long MaxBytes = 16L * 1024 * 1024;

    /// <summary>The file read once per change of it (each cmdlet call asks; parsing it again would cost ~6 ms a call).</summary>
    private static RuleCatalog Cached(string path)
    {
        var info = new FileInfo(path);
        var cached = _cache;
        if (cached is { } c && c.Path == path && c.Written == info.LastWriteTimeUtc && c.Length == info.Length)
        {
            return c.Catalog;
        }

        var text = TextFile.Read(path, MaxBytes);
        var catalog = RuleCatalog.Load(new StringReader(text), path);
        _cache = (path, info.LastWriteTimeUtc, info.Length, text, catalog);
        return catalog;
    }
}
