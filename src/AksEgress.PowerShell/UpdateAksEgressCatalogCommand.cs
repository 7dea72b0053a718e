using System.IO;
using System.Management.Automation;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using AksEgress.Catalog;
using AksEgress.Catalog.Import;

namespace AksEgress.PowerShell;

/// <summary>
/// Update-AksEgressCatalog: reads Microsoft's egress document (from GitHub, or a local copy), says how it differs from
/// the catalog in use (one object per rule added, removed or changed, per cloud), and writes the catalog with those
/// changes as a dated amendment: to -CatalogPath, or to the per-user catalog the other cmdlets then use. Nothing is
/// written when the document cannot be read whole (unless -Force), and a write is all or nothing.
/// </summary>
[Cmdlet(VerbsData.Update, "AksEgressCatalog", DefaultParameterSetName = FromUri, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(CatalogDifference))]
public sealed class UpdateAksEgressCatalogCommand : PSCmdlet
{
    private const string FromUri = "Uri";
    private const string FromPath = "Path";
    private const long MaxDocumentBytes = 4L * 1024 * 1024;
    private readonly CancellationTokenSource _cancel = new();

    /// <summary>Where to read the document (its markdown); by default the document's raw URL on GitHub.</summary>
    [Parameter(ParameterSetName = FromUri)]
    [ValidateNotNull]
    public Uri Uri { get; set; } = new(EgressDocument.RawUrl);

    /// <summary>A local copy of the document's markdown.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = FromPath)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The catalog file to update (created from the catalog in use when it does not exist); by default the per-user catalog.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? CatalogPath { get; set; }

    /// <summary>Write what was read even when some rows of the document could not be read (they are listed as warnings).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>A proxy for -Uri, as Invoke-WebRequest takes it; without it, the system's proxy settings apply.</summary>
    [Parameter(ParameterSetName = FromUri)]
    [ValidateNotNull]
    public Uri? Proxy { get; set; }

    [Parameter(ParameterSetName = FromUri)]
    [ValidateNotNull]
    [Credential]
    public PSCredential? ProxyCredential { get; set; }

    [Parameter(ParameterSetName = FromUri)]
    public SwitchParameter ProxyUseDefaultCredentials { get; set; }

    /// <summary>How long reading -Uri may take, in seconds.</summary>
    [Parameter(ParameterSetName = FromUri)]
    [ValidateRange(1, 3600)]
    public int TimeoutSec { get; set; } = 60;

    protected override void StopProcessing() => _cancel.Cancel();

    protected override void EndProcessing()
    {
        var (text, origin, url) = ParameterSetName == FromPath ? ReadFile() : Download();
        if (text is null)
        {
            return; // cancelled
        }

        DateTime? documentDate;
        IReadOnlyList<DocumentRow> rows;
        IReadOnlyList<DocumentProblem> problems;
        try
        {
            (documentDate, rows, problems) = EgressDocument.Parse(text, origin);
        }
        catch (NotTheDocumentException ex)
        {
            ThrowTerminatingError(ModuleErrors.Record(ex, "NotAnEgressDocument", origin));
            return;
        }

        foreach (var problem in problems)
        {
            var message = $"{origin}:{problem.Line}: {problem.Message}";
            if (Force)
            {
                WriteWarning(message);
            }
            else
            {
                WriteError(ModuleErrors.Record(new InvalidDataException(message), "DocumentRowUnreadable", $"{origin}:{problem.Line}"));
            }
        }

        if (problems.Count > 0 && !Force)
        {
            ThrowTerminatingError(ModuleErrors.Record(new InvalidDataException(
                $"{problems.Count} rows or tables of {origin} could not be read (listed above), so its differences would be wrong: nothing was compared or written. Give -Force to use what was read."),
                "DocumentNotFullyRead", origin));
        }

        var date = documentDate ?? DateTime.UtcNow.Date;
        WriteVerbose($"{origin}: {rows.Count} rules, dated {date:yyyy-MM-dd}{(documentDate is null ? " (the document names no date: today)" : " (its ms.date)")}.");

        var target = CatalogPath is not null ? SessionState.Path.GetUnresolvedProviderPathFromPSPath(CatalogPath) : UserCatalog.Path;
        if (target is null)
        {
            ThrowTerminatingError(ModuleErrors.Record(new InvalidOperationException("This session has no local application data folder for the per-user catalog: give -CatalogPath."), "CatalogPathRequired", null));
        }

        var (baseCatalog, baseYaml) = CatalogInUse(target!);
        var differences = CatalogComparer.Compare(baseCatalog, rows, date);
        WriteVerbose($"Compared with catalog {baseCatalog.Version} ({baseCatalog.Origin}) as of {date:yyyy-MM-dd}: {differences.Count} differences.");
        WriteObject(differences, enumerateCollection: true);
        if (differences.Count == 0)
        {
            // A new -CatalogPath file still gets the catalog in use: the command's result is a catalog file either way.
            if (CatalogPath is not null && !File.Exists(target) && ShouldProcess(target, $"Write catalog {baseCatalog.Version}, which already states the document of {date:yyyy-MM-dd}"))
            {
                Write(target!, baseYaml);
                WriteVerbose($"Wrote {target} (catalog {baseCatalog.Version}, no change needed): use it with -CatalogPath.");
                return;
            }

            WriteVerbose($"The catalog in use already states the document of {date:yyyy-MM-dd}: nothing to write.");
            return;
        }

        string yaml;
        try
        {
            (yaml, _) = CatalogUpdate.Apply(baseYaml, baseCatalog, differences, new DocumentRevision(date, url, origin), DateTime.UtcNow.Date, target!);
        }
        catch (InvalidOperationException ex)
        {
            ThrowTerminatingError(ModuleErrors.Record(ex, "CatalogUpdateFailed", target));
            return;
        }

        if (!ShouldProcess(target, $"Write catalog with {differences.Count} changes from the document of {date:yyyy-MM-dd}"))
        {
            return;
        }

        Write(target!, yaml);
        WriteVerbose(CatalogPath is null
            ? $"Wrote the per-user catalog {target}: every AksEgress cmdlet now uses it while it is newer than the embedded catalog."
            : $"Wrote {target}: use it with -CatalogPath.");
    }

    /// <summary>The catalog to compare with and amend: the -CatalogPath file when it exists, else the per-user catalog when newer, else the embedded one.</summary>
    private (RuleCatalog Catalog, string Yaml) CatalogInUse(string target)
    {
        try
        {
            // Each file is read once: its text is what the update amends, and what the catalog is parsed from.
            if (CatalogPath is not null && File.Exists(target))
            {
                var text = TextFile.Read(target, 16L * 1024 * 1024);
                return (RuleCatalog.Load(new StringReader(text), target), text);
            }

            if (CatalogPath is null && UserCatalog.Newer(RuleCatalog.Embedded, out _, out _) is { } user)
            {
                return (user, UserCatalog.TextOf(user));
            }
        }
        catch (CatalogException ex)
        {
            ThrowTerminatingError(ModuleErrors.Record(ex, "InvalidCatalog", target));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(ModuleErrors.Record(ex, "CatalogUnreadable", target));
        }

        return (RuleCatalog.Embedded, RuleCatalog.EmbeddedYaml());
    }

    /// <summary>All or nothing: the new text goes to a file beside the target, then replaces it in one move.</summary>
    private void Write(string target, string yaml)
    {
        var temporary = target + ".tmp-" + Guid.NewGuid().ToString("N").Substring(0, 8);
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(target))!);
            File.WriteAllText(temporary, yaml, new UTF8Encoding(false));
            if (File.Exists(target))
            {
                File.Replace(temporary, target, null);
            }
            else
            {
                File.Move(temporary, target);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            try
            {
                File.Delete(temporary);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
            }

            ThrowTerminatingError(ModuleErrors.Record(ex, "CatalogUnwritable", target));
        }
    }

    private (string? Text, string Origin, string Url) ReadFile()
    {
        var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        try
        {
            return (TextFile.Read(path, MaxDocumentBytes), path, new Uri(System.IO.Path.GetFullPath(path)).AbsoluteUri);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(ModuleErrors.Record(ex, ex is FileNotFoundException or DirectoryNotFoundException ? "DocumentNotFound" : "DocumentUnreadable", path));
            return (null, path, path);
        }
    }

    /// <summary>The document from -Uri: the system's proxy (or -Proxy), bounded in time and size; failures name the URL.</summary>
    private (string? Text, string Origin, string Url) Download()
    {
        var url = Uri.AbsoluteUri;
        if (Uri.Scheme is not ("https" or "http"))
        {
            ThrowTerminatingError(ModuleErrors.Record(new PSArgumentException($"-Uri {url} is not an http(s) address; for a local copy give -Path."), "InvalidDocumentUri", url));
        }

        var handler = new HttpClientHandler();
        if (Proxy is not null)
        {
            handler.Proxy = new WebProxy(Proxy) { Credentials = ProxyUseDefaultCredentials ? CredentialCache.DefaultCredentials : ProxyCredential?.GetNetworkCredential() };
            handler.UseProxy = true;
        }
        else if (ProxyUseDefaultCredentials || ProxyCredential is not null)
        {
            handler.DefaultProxyCredentials = ProxyUseDefaultCredentials ? CredentialCache.DefaultCredentials : ProxyCredential!.GetNetworkCredential();
        }

        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_cancel.Token);
        deadline.CancelAfter(TimeSpan.FromSeconds(TimeoutSec));
        WriteVerbose($"GET {url}{(Proxy is null ? "" : $" through {Proxy}")}");
        var task = Task.Run(async () =>
        {
            using var response = await client.GetAsync(Uri, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return (Status: (int)response.StatusCode, Reason: response.ReasonPhrase, Text: (string?)null);
            }

            using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, 0, chunk.Length, deadline.Token).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxDocumentBytes)
                {
                    throw new InvalidDataException($"{url} sent more than {MaxDocumentBytes / (1024 * 1024)} MiB; the document is about 40 KB. Check -Uri.");
                }

                buffer.Write(chunk, 0, read);
            }

            return (Status: 200, Reason: (string?)null, Text: (string?)Encoding.UTF8.GetString(buffer.ToArray()));
        });

        try
        {
            var (status, reason, text) = task.GetAwaiter().GetResult();
            if (text is null)
            {
                var notFound = status is 404 or 410;
                ThrowTerminatingError(ModuleErrors.Record(new HttpRequestException(
                    $"{url} answered {status} {reason}{(notFound ? $": no document there. The document's markdown is at {EgressDocument.RawUrl}" : "")}."),
                    notFound ? "DocumentNotFound" : "DocumentUnreachable", url));
            }

            return (text, url, url);
        }
        catch (OperationCanceledException) when (_cancel.IsCancellationRequested)
        {
            return (null, url, url);
        }
        catch (OperationCanceledException ex)
        {
            ThrowTerminatingError(ModuleErrors.Record(new TimeoutException($"{url} did not answer within -TimeoutSec {TimeoutSec} s.", ex), "DocumentUnreachable", url));
        }
        catch (InvalidDataException ex)
        {
            ThrowTerminatingError(ModuleErrors.Record(ex, "NotAnEgressDocument", url));
        }
        catch (HttpRequestException ex)
        {
            ThrowTerminatingError(ModuleErrors.Record(new HttpRequestException(
                $"{url} could not be read: {ex.InnerException?.Message ?? ex.Message}. Behind a proxy, give -Proxy (and -ProxyCredential) as to Invoke-WebRequest; without network, give -Path with a copy of the document.", ex),
                "DocumentUnreachable", url));
        }

        return (null, url, url);
    }
}
