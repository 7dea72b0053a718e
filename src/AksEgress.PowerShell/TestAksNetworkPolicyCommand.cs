using System.IO;
using System.Management.Automation;
using AksEgress.NetworkPolicy;

namespace AksEgress.PowerShell;

/// <summary>
/// Test-AksNetworkPolicy: validates NetworkPolicy manifests like the API server, reports what the chosen AKS engine
/// does not enforce, lints them, and answers reachability questions (-From/-To) or prints the connectivity matrix.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "AksNetworkPolicy", DefaultParameterSetName = PathSet)]
[OutputType(typeof(NetworkPolicyFinding), typeof(ReachabilityVerdict), typeof(ConnectivityEntry))]
public sealed class TestAksNetworkPolicyCommand : PSCmdlet
{
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private static readonly string[] ManifestExtensions = [".yaml", ".yml", ".json"];
    private readonly List<string> _files = [];

    /// <summary>Files or folders (searched recursively for .yaml, .yml and .json); wildcards allowed.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
    [Alias("PSPath", "LP")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = [];

    [Parameter]
    public PolicyEngine? Engine { get; set; }

    /// <summary>The cluster's Kubernetes version, as kubectl writes it (v1.30.2) or plainly (1.30).</summary>
    [Parameter]
    [ValidateNotNull]
    [KubernetesVersionTransformation]
    public Version? KubernetesVersion { get; set; }

    /// <summary>namespace/pod, a pod or workload name, or an IP address.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? From { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? To { get; set; }

    [Parameter]
    [ValidateRange(1, 65535)]
    public int? Port { get; set; }

    [Parameter]
    [ValidateSet("TCP", "UDP", "SCTP")]
    public string Protocol { get; set; } = "TCP";

    [Parameter]
    public SwitchParameter Matrix { get; set; }

    protected override void BeginProcessing()
    {
        if ((From is null) != (To is null))
        {
            Misuse("FromAndToRequired", "Give both -From and -To to ask whether one endpoint reaches another.");
        }

        if (From is not null && Matrix)
        {
            Misuse("MatrixWithEndpoints", "-Matrix lists every pair; it does not take -From and -To.");
        }

        if (From is not null && Port is null)
        {
            Misuse("PortRequired", "Give the destination port with -Port (and -Protocol if it is not TCP).");
        }
    }

    protected override void ProcessRecord()
    {
        var literal = ParameterSetName == LiteralPathSet;
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
                    _files.AddRange(Directory.EnumerateFiles(item, "*", SearchOption.AllDirectories)
                        .Where(f => ManifestExtensions.Contains(System.IO.Path.GetExtension(f).ToLowerInvariant())).OrderBy(f => f, StringComparer.Ordinal));
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
        var cluster = ClusterModel.From(set);
        WriteVerbose($"{set.Policies.Count} network policies, {set.Pods.Count} workloads, {cluster.Namespaces.Count()} namespaces from {_files.Distinct().Count()} files.");
        var errors = set.Findings.Count(f => f.Severity == FindingSeverity.Error);

        if (From is not null)
        {
            WarnIfInvalid(errors);
            var verdict = new ReachabilityEngine(cluster, Engine, KubernetesVersion).Evaluate(Resolve(cluster, From, "From"), Resolve(cluster, To!, "To"), Port!.Value, Protocol);
            WriteObject(verdict);
            return;
        }

        if (Matrix)
        {
            WarnIfInvalid(errors);
            foreach (var pod in cluster.Pods.Where(p => Port is null && p.Ports.Count == 0))
            {
                WriteVerbose($"{pod} declares no container port: it is a destination only with -Port.");
            }

            var matrix = ClassMatrix.Compute(cluster, Engine, Port, Protocol, KubernetesVersion);
            WriteVerbose($"{cluster.Pods.Count} workloads in {matrix.ClassCount} classes of equivalent pods.");
            WriteObject(matrix.Entries(), enumerateCollection: true);
            return;
        }

        var findings = set.Findings
            .Concat(Engine is { } engine ? EngineCompatibility.Check(cluster, engine, KubernetesVersion) : [])
            .Concat(PolicyLinter.Lint(cluster))
            .OrderBy(f => f.File, StringComparer.Ordinal).ThenBy(f => f.Line).ThenBy(f => f.Column);
        WriteObject(findings, enumerateCollection: true);
    }

    private ManifestSet ReadAll()
    {
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
                set = set.Merge(ManifestReader.Read(File.ReadAllText(files[i]), files[i]));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                WriteError(ModuleErrors.Record(ex, "ManifestUnreadable", files[i]));
            }
        }

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

    private void Misuse(string errorId, string message) =>
        ThrowTerminatingError(ModuleErrors.Record(new PSArgumentException(message), errorId, null));
}
