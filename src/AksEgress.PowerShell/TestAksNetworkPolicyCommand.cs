using System.IO;
using System.Management.Automation;
using AksEgress.NetworkPolicy;

namespace AksEgress.PowerShell;

/// <summary>
/// Test-AksNetworkPolicy: validates NetworkPolicy manifests like the API server, reports what the chosen AKS engine
/// does not enforce, lints them (findings, the default), gates on them (-Quiet), answers one reachability question
/// (-From/-To/-Port) or prints the connectivity matrix (-Matrix). The manifests come from paths, literal paths or text on
/// the pipeline (kubectl get ... -o yaml | Test-AksNetworkPolicy). The parameter sets are the product of the two, so
/// modes cannot be combined and each set has one output type.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "AksNetworkPolicy", DefaultParameterSetName = PathSet)]
[OutputType(typeof(NetworkPolicyFinding), ParameterSetName = [PathSet, LiteralPathSet, TextSet])]
[OutputType(typeof(bool), ParameterSetName = [PathSet + QuietMode, LiteralPathSet + QuietMode, TextSet + QuietMode])]
[OutputType(typeof(ReachabilityVerdict), ParameterSetName = [PathSet + QueryMode, LiteralPathSet + QueryMode, TextSet + QueryMode])]
[OutputType(typeof(ConnectivityEntry), ParameterSetName = [PathSet + MatrixMode, LiteralPathSet + MatrixMode, TextSet + MatrixMode])]
public sealed class TestAksNetworkPolicyCommand : PSCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const string TextSet = "Text";
    private const string QuietMode = "Quiet";
    private const string QueryMode = "Query";
    private const string MatrixMode = "Matrix";
    private static readonly string[] ManifestExtensions = [".yaml", ".yml", ".json"];
    private readonly List<string> _files = [];
    private readonly List<string> _lines = [];
    private readonly System.Threading.CancellationTokenSource _cancel = new();

    /// <summary>Files or folders (searched recursively for .yaml, .yml and .json); wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet + QuietMode)]
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet + QueryMode)]
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet + MatrixMode)]
    [Alias("FullName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet + QuietMode)]
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet + QueryMode)]
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet + MatrixMode)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    /// <summary>Manifest text: the lines kubectl or Get-Content writes to the pipeline, read together as one stream.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = TextSet)]
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = TextSet + QuietMode)]
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = TextSet + QueryMode)]
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = TextSet + MatrixMode)]
    [AllowEmptyString]
    public string[] InputObject { get; set; } = [];

    [Parameter]
    public PolicyEngine? Engine { get; set; }

    /// <summary>The cluster's Kubernetes version, as kubectl writes it (v1.30.2) or plainly (1.30).</summary>
    [Parameter]
    [ValidateNotNull]
    [KubernetesVersionTransformation]
    public Version? KubernetesVersion { get; set; }

    /// <summary>Return only $true (no finding is an error) or $false, to gate a pipeline.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet + QuietMode)]
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet + QuietMode)]
    [Parameter(Mandatory = true, ParameterSetName = TextSet + QuietMode)]
    public SwitchParameter Quiet { get; set; }

    /// <summary>namespace/pod, a pod or workload name, or an IP address.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet + QueryMode)]
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet + QueryMode)]
    [Parameter(Mandatory = true, ParameterSetName = TextSet + QueryMode)]
    [ValidateNotNullOrEmpty]
    public string? From { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = PathSet + QueryMode)]
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet + QueryMode)]
    [Parameter(Mandatory = true, ParameterSetName = TextSet + QueryMode)]
    [ValidateNotNullOrEmpty]
    public string? To { get; set; }

    /// <summary>The destination port: needed for a question, optional for the matrix.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet + QueryMode)]
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet + QueryMode)]
    [Parameter(Mandatory = true, ParameterSetName = TextSet + QueryMode)]
    [Parameter(ParameterSetName = PathSet + MatrixMode)]
    [Parameter(ParameterSetName = LiteralPathSet + MatrixMode)]
    [Parameter(ParameterSetName = TextSet + MatrixMode)]
    [ValidateRange(1, 65535)]
    public int? Port { get; set; }

    [Parameter(ParameterSetName = PathSet + QueryMode)]
    [Parameter(ParameterSetName = LiteralPathSet + QueryMode)]
    [Parameter(ParameterSetName = TextSet + QueryMode)]
    [Parameter(ParameterSetName = PathSet + MatrixMode)]
    [Parameter(ParameterSetName = LiteralPathSet + MatrixMode)]
    [Parameter(ParameterSetName = TextSet + MatrixMode)]
    [ValidateSet("TCP", "UDP", "SCTP")]
    public string Protocol { get; set; } = "TCP";

    [Parameter(Mandatory = true, ParameterSetName = PathSet + MatrixMode)]
    [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet + MatrixMode)]
    [Parameter(Mandatory = true, ParameterSetName = TextSet + MatrixMode)]
    public SwitchParameter Matrix { get; set; }

    /// <summary>With -Matrix: one row per pair of workloads (the default), of classes of pods the policies cannot tell apart, or of pods.</summary>
    [Parameter(ParameterSetName = PathSet + MatrixMode)]
    [Parameter(ParameterSetName = LiteralPathSet + MatrixMode)]
    [Parameter(ParameterSetName = TextSet + MatrixMode)]
    public MatrixGrouping GroupBy { get; set; } = MatrixGrouping.Workload;

    /// <summary>With -Matrix: leave out the rows where every port asked about is allowed (what remains is what is denied).</summary>
    [Parameter(ParameterSetName = PathSet + MatrixMode)]
    [Parameter(ParameterSetName = LiteralPathSet + MatrixMode)]
    [Parameter(ParameterSetName = TextSet + MatrixMode)]
    public SwitchParameter ExcludeAllowed { get; set; }

    /// <summary>Only findings of these rules (codes or names; wildcards).</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [Parameter(ParameterSetName = TextSet)]
    [Parameter(ParameterSetName = PathSet + QuietMode)]
    [Parameter(ParameterSetName = LiteralPathSet + QuietMode)]
    [Parameter(ParameterSetName = TextSet + QuietMode)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DiagnosticRuleCompleter))]
    public string[]? IncludeRule { get; set; }

    /// <summary>No findings of these rules (codes or names; wildcards).</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [Parameter(ParameterSetName = TextSet)]
    [Parameter(ParameterSetName = PathSet + QuietMode)]
    [Parameter(ParameterSetName = LiteralPathSet + QuietMode)]
    [Parameter(ParameterSetName = TextSet + QuietMode)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(DiagnosticRuleCompleter))]
    public string[]? ExcludeRule { get; set; }

    /// <summary>Only findings of these severities.</summary>
    [Parameter(ParameterSetName = PathSet)]
    [Parameter(ParameterSetName = LiteralPathSet)]
    [Parameter(ParameterSetName = TextSet)]
    [Parameter(ParameterSetName = PathSet + QuietMode)]
    [Parameter(ParameterSetName = LiteralPathSet + QuietMode)]
    [Parameter(ParameterSetName = TextSet + QuietMode)]
    [ValidateNotNullOrEmpty]
    public FindingSeverity[]? Severity { get; set; }

    private bool InMode(string mode) => ParameterSetName.EndsWith(mode, StringComparison.Ordinal);

    protected override void ProcessRecord()
    {
        if (ParameterSetName.StartsWith(TextSet, StringComparison.Ordinal))
        {
            _lines.AddRange(InputObject);
            return;
        }

        var literal = ParameterSetName.StartsWith(LiteralPathSet, StringComparison.Ordinal);
        foreach (var path in literal ? LiteralPath : Path)
        {
            List<string> resolved;
            try
            {
                resolved = literal
                    ? [SessionState.Path.GetUnresolvedProviderPathFromPSPath(path)]
                    : SessionState.Path.GetResolvedProviderPathFromPSPath(path, out _).ToList();
            }
            catch (ItemNotFoundException ex)
            {
                WriteError(ModuleErrors.Record(ex, "PathNotFound", path));
                continue;
            }

            foreach (var item in resolved)
            {
                if (Directory.Exists(item))
                {
                    _files.AddRange(ManifestFiles(item));
                }
                else if (File.Exists(item))
                {
                    _files.Add(item);
                }
                else
                {
                    WriteError(ModuleErrors.Record(new ItemNotFoundException($"Cannot find path '{item}' because it does not exist."), "PathNotFound", path));
                }
            }
        }
    }

    protected override void EndProcessing()
    {
        var set = ReadAll();
        if (set.Policies.Count + set.Pods.Count + set.Namespaces.Count + set.Findings.Count == 0)
        {
            var what = _lines.Count > 0 ? "the text on the pipeline" : _files.Count == 0 ? "the paths given (no .yaml, .yml or .json file)" : $"{_files.Distinct().Count()} files";
            ThrowTerminatingError(ModuleErrors.Record(new ItemNotFoundException(
                $"No NetworkPolicy, workload or namespace was found in {what}. Give manifests (kubectl get networkpolicies,pods,namespaces -A -o yaml), or see -Verbose for what was skipped."), "NoManifests", null));
        }

        var cluster = ClusterModel.From(set);
        WriteVerbose($"{set.Policies.Count} network policies, {set.Pods.Count} workloads, {cluster.Namespaces.Count()} namespaces from {(_lines.Count > 0 ? "the pipeline" : $"{_files.Distinct().Count()} files")}.");
        var errors = set.Findings.Count(f => f.SeverityValue == FindingSeverity.Error);

        if (InMode(QueryMode))
        {
            WarnIfInvalid(errors);
            var verdict = new ReachabilityEngine(cluster, Engine, KubernetesVersion).Evaluate(Resolve(cluster, From!, "From"), Resolve(cluster, To!, "To"), Port!.Value, Protocol);
            WriteObject(verdict);
            return;
        }

        if (InMode(MatrixMode))
        {
            WarnIfInvalid(errors);
            foreach (var pod in cluster.Pods.Where(p => Port is null && p.Ports.Count == 0))
            {
                WriteVerbose($"{pod} declares no container port: it is a destination only with -Port.");
            }

            try
            {
                var matrix = ClassMatrix.Compute(cluster, Engine, Port, Protocol, KubernetesVersion, _cancel.Token);
                WriteVerbose($"{cluster.Pods.Count} pods and templates, {cluster.Pods.Select(p => p.Workload).Distinct().Count()} workloads, in {matrix.ClassCount} classes of pods the policies cannot tell apart.");
                // Row by row: each source's row is computed when its first entry is asked for, and Select-Object -First stops the rest.
                foreach (var entry in matrix.Entries(GroupBy, ExcludeAllowed))
                {
                    StopIfAsked();
                    WriteObject(entry);
                }
            }
            catch (OperationCanceledException)
            {
                throw new PipelineStoppedException();
            }

            return;
        }

        var all = set.Findings
            .Concat(Engine is { } engine ? EngineCompatibility.Check(cluster, engine, KubernetesVersion) : [])
            .Concat(PolicyLinter.Lint(cluster))
            .OrderBy(f => f.File, StringComparer.Ordinal).ThenBy(f => f.Line).ThenBy(f => f.Column);
        var findings = FindingSelection.Select(all, IncludeRule, ExcludeRule, Severity).ToList();
        if (InMode(QuietMode))
        {
            WriteObject(findings.All(f => f.SeverityValue != FindingSeverity.Error));
            return;
        }

        WriteObject(findings, enumerateCollection: true);
    }

    /// <summary>
    /// The manifests under a folder, walked without recursion and without following links to folders (a link to a parent
    /// would loop, and a link to a sibling would read files twice); what is passed over is said with -Verbose.
    /// </summary>
    private IEnumerable<string> ManifestFiles(string root)
    {
        var found = new List<string>();
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            StopIfAsked();
            var folder = pending.Pop();
            IEnumerable<string> entries;
            try
            {
                found.AddRange(Directory.EnumerateFiles(folder).Where(f => ManifestExtensions.Contains(System.IO.Path.GetExtension(f).ToLowerInvariant())));
                entries = Directory.EnumerateDirectories(folder).ToList();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                WriteError(ModuleErrors.Record(ex, "ManifestUnreadable", folder));
                continue;
            }

            foreach (var sub in entries)
            {
                if ((File.GetAttributes(sub) & FileAttributes.ReparsePoint) != 0)
                {
                    WriteVerbose($"Not followed (a link to a folder): {sub}");
                }
                else
                {
                    pending.Push(sub);
                }
            }
        }

        return found.OrderBy(f => f, StringComparer.Ordinal);
    }

    private ManifestSet ReadAll()
    {
        if (_lines.Count > 0)
        {
            return Report(ReadText(string.Join("\n", _lines), "<pipeline>"));
        }

        var set = ManifestSet.Empty;
        var files = _files.Distinct().ToList();
        for (var i = 0; i < files.Count; i++)
        {
            if (files.Count > 20)
            {
                WriteProgress(new ProgressRecord(1, "Test-AksNetworkPolicy", $"Reading {files[i]}") { PercentComplete = 100 * i / files.Count });
            }

            try
            {
                StopIfAsked();
                set = set.Merge(ReadText(TextFile.Read(files[i]), files[i]));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                WriteError(ModuleErrors.Record(ex, "ManifestUnreadable", files[i]));
            }
        }

        return Report(set);
    }

    /// <summary>Ctrl+C stops a large file within one of its items; a List of thousands of items shows how far reading has come.</summary>
    private ManifestSet ReadText(string text, string file)
    {
        var shown = false;
        try
        {
            // A record each time: the host may keep the ones it was given.
            return ManifestReader.Read(text, file, _cancel.Token, done =>
            {
                WriteProgress(new ProgressRecord(2, "Test-AksNetworkPolicy", $"Reading {file}") { PercentComplete = (int)(done * 100) });
                shown = true;
            });
        }
        catch (OperationCanceledException)
        {
            throw new PipelineStoppedException();
        }
        finally
        {
            if (shown && !_cancel.IsCancellationRequested)
            {
                WriteProgress(new ProgressRecord(2, "Test-AksNetworkPolicy", $"Reading {file}") { RecordType = ProgressRecordType.Completed });
            }
        }
    }

    protected override void StopProcessing() => _cancel.Cancel();

    /// <summary>Ctrl+C: reading and computing stop at the next file, folder or row.</summary>
    private void StopIfAsked()
    {
        if (_cancel.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    private ManifestSet Report(ManifestSet set)
    {
        foreach (var skipped in set.Skipped)
        {
            WriteVerbose($"Skipped (not a NetworkPolicy, workload or namespace): {skipped}");
        }

        return set;
    }

    private void WarnIfInvalid(int errors)
    {
        if (errors > 0)
        {
            WriteWarning($"{errors} errors in the manifests: the policies or parts of them that the API server would refuse are left out of the answer. Run Test-AksNetworkPolicy without -From/-To/-Matrix to list them.");
        }
    }

    private Endpoint Resolve(ClusterModel cluster, string text, string parameter)
    {
        if (EndpointResolver.Resolve(cluster, text, out var problem, out var ambiguous) is { } endpoint)
        {
            return endpoint;
        }

        ThrowTerminatingError(ModuleErrors.Record(new ArgumentException($"-{parameter} {problem}"), ambiguous ? "AmbiguousEndpoint" : "UnknownEndpoint", text));
        return null!; // not reached
    }
}
