using System.Management.Automation;

namespace AksEgress.PowerShell;

/// <summary>One ErrorId of the module: its category and when it is raised (the README's error table is checked against these).</summary>
public sealed record ErrorSpec(string Id, ErrorCategory Category, string When);

/// <summary>
/// Every ErrorId the cmdlets raise, and the one place that turns a failure into an ErrorRecord. An id that is not here is
/// a bug, caught by the tests (they compare this list with the README's table).
/// </summary>
public static class ModuleErrors
{
    public static IReadOnlyList<ErrorSpec> All { get; } =
    [
        // Requirements and the catalog
        new("UnknownLocation", ErrorCategory.InvalidArgument, "The region is not in the chosen cloud. Non-terminating: the next piped location is still processed. The message names close matches, or the cloud the region belongs to."),
        new("CatalogNotFound", ErrorCategory.ObjectNotFound, "-CatalogPath names no file."),
        new("InvalidCatalog", ErrorCategory.InvalidData, "The catalog file is not valid; the message lists each problem as file:line:column: field: what is wrong."),
        new("CatalogUnreadable", ErrorCategory.ReadError, "The catalog file cannot be read."),
        new("RequirementsRequired", ErrorCategory.InvalidArgument, "Test-AksFirewallPolicy got neither piped requirements nor -Location."),
        new("LocationWithCluster", ErrorCategory.InvalidArgument, "Test-AksFirewallPolicy got -Location and a cluster: the cluster gives the region."),
        // Update-AksEgressCatalog
        new("NotAnEgressDocument", ErrorCategory.InvalidData, "Update-AksEgressCatalog read something that is not the AKS egress document (empty, HTML, another page, too large); the message says which."),
        new("DocumentRowUnreadable", ErrorCategory.InvalidData, "A row or table of the document cannot be read; the target is file:line. Non-terminating, followed by DocumentNotFullyRead (a warning with -Force)."),
        new("DocumentNotFullyRead", ErrorCategory.InvalidData, "Some rows of the document could not be read, so nothing was compared or written (-Force uses what was read)."),
        new("DocumentNotFound", ErrorCategory.ObjectNotFound, "-Path names no file, or -Uri answers 404."),
        new("DocumentUnreadable", ErrorCategory.ReadError, "The -Path file cannot be read."),
        new("InvalidDocumentUri", ErrorCategory.InvalidArgument, "-Uri is not an http(s) address; nothing is requested."),
        new("DocumentUnreachable", ErrorCategory.ConnectionError, "-Uri cannot be read: network, proxy, TLS, a status other than 404, or -TimeoutSec passed. The message names the URL."),
        new("CatalogPathRequired", ErrorCategory.InvalidArgument, "No per-user folder exists for the catalog: give -CatalogPath."),
        new("CatalogUpdateFailed", ErrorCategory.InvalidResult, "The updated catalog would not validate; nothing is written."),
        new("CatalogUnwritable", ErrorCategory.WriteError, "The catalog file cannot be written; the file in place is left as it was."),
        new("ClusterInAnotherCloud", ErrorCategory.InvalidArgument, "The cluster read with -ClusterName or -ClusterResourceId is in another cloud than -Cloud."),

        // Azure: finding things
        new("SubscriptionRequired", ErrorCategory.InvalidArgument, "No subscription was given or found; the message lists each place tried."),
        new("InvalidPolicyId", ErrorCategory.InvalidArgument, "-PolicyId, or -ResourceGroupName and -Name, break ARM's naming rules or do not name a firewall policy."),
        new("InvalidClusterId", ErrorCategory.InvalidArgument, "-ClusterResourceId, or -ResourceGroupName and -ClusterName, break ARM's naming rules or do not name an AKS cluster."),
        new("InvalidPolicyName", ErrorCategory.InvalidArgument, "Export-AksFirewallPolicy -Name breaks ARM's naming rules for firewall policies."),
        new("PolicyNotFound", ErrorCategory.ObjectNotFound, "The firewall policy does not exist (and -PolicyLocation was not given to create it)."),
        new("ClusterNotFound", ErrorCategory.ObjectNotFound, "The AKS cluster does not exist."),
        new("FirewallNotFound", ErrorCategory.ObjectNotFound, "The Azure Firewall named with -FirewallName does not exist."),
        new("InvalidResourceId", ErrorCategory.InvalidArgument, "A resource id read from Azure (a firewall or IP group a policy names) is not a Microsoft.Network resource's; nothing is sent for it."),
        new("InvalidFirewallName", ErrorCategory.InvalidArgument, "-ResourceGroupName or -FirewallName break ARM's naming rules."),
        new("ClusterStateUnreadable", ErrorCategory.InvalidOperation, "The cluster is being deleted or has no properties to read."),
        new("ResourceGroupNotFound", ErrorCategory.ObjectNotFound, "The resource group does not exist."),
        new("SubscriptionNotFound", ErrorCategory.ObjectNotFound, "The subscription does not exist or is not visible to the identity."),

        // Azure: signing in and reaching ARM
        new("AuthenticationFailed", ErrorCategory.AuthenticationError, "No credential could sign in (the message lists each source tried), or ARM refused the token."),
        new("AuthorizationFailed", ErrorCategory.PermissionDenied, "The identity lacks a permission; the message names it."),
        new("ArmCertificateUntrusted", ErrorCategory.SecurityError, "The TLS certificate of the ARM endpoint is not trusted (as behind TLS inspection). Not retried; the message names the cause and the fix."),
        new("ArmHostNotFound", ErrorCategory.ConnectionError, "The ARM endpoint's host name does not resolve. Not retried."),
        new("ArmUnreachable", ErrorCategory.OperationStopped, "ARM could not be reached after the retries."),
        new("ArmUnavailable", ErrorCategory.OperationStopped, "ARM kept answering 5xx after the retries."),
        new("Throttled", ErrorCategory.OperationStopped, "ARM kept answering 429 after the retries."),
        new("Conflict", ErrorCategory.ResourceExists, "ARM reported a conflict that did not clear after the retries."),
        new("InvalidRequest", ErrorCategory.InvalidData, "ARM refused the request (400)."),
        new("OperationFailed", ErrorCategory.OperationStopped, "ARM's long-running operation ended Failed; the message carries ARM's."),
        new("ArmTimeout", ErrorCategory.OperationTimeout, "The call did not finish within -TimeoutSec (retries, waits and long-running operations included); the message says what was under way."),
        new("ArmRetryAfterTooLong", ErrorCategory.LimitsExceeded, "ARM asked to wait longer than the module waits (Retry-After above 120 s)."),
        new("ArmResponseInvalid", ErrorCategory.InvalidResult, "ARM's answer could not be used: not JSON, larger than 64 MiB, or list pages that loop."),
        new("WriteNotApplied", ErrorCategory.InvalidResult, "ARM accepted the write, but reading the group back does not show the rules written."),

        // Writing a rule collection group
        new("NoSource", ErrorCategory.InvalidArgument, "Neither -SourceAddress nor -SourceIpGroupId was given: a rule never gets an implicit '*' source."),
        new("InvalidSourceAddress", ErrorCategory.InvalidArgument, "A -SourceAddress is neither an IP address nor a CIDR block."),
        new("InvalidIpGroupId", ErrorCategory.InvalidArgument, "A -SourceIpGroupId is not the resource id of an IP group."),
        new("InvalidGroupName", ErrorCategory.InvalidArgument, "-RuleCollectionGroupName breaks ARM's naming rules."),
        new("PriorityOutOfRange", ErrorCategory.InvalidArgument, "A priority is outside 100-65000."),
        new("RulePortOutOfRange", ErrorCategory.InvalidData, "An application rule's port is above 64000, which Azure Firewall refuses."),
        new("EmptyRuleSet", ErrorCategory.InvalidData, "No requirements were piped in."),
        new("ObsoleteRule", ErrorCategory.InvalidData, "A piped rule belongs to the obsolete 2019 edition."),
        new("PriorityInUse", ErrorCategory.ResourceExists, "Another rule collection group of the policy has the priority."),
        new("GroupNotOwned", ErrorCategory.ResourceExists, "A group of that name exists and was not written by AksEgress (use -Force to take it over)."),
        new("DnsProxyRequired", ErrorCategory.InvalidOperation, "Network rules with FQDNs need DNS proxy, which is off (use -EnableDnsProxy)."),
        new("ConcurrentModification", ErrorCategory.ResourceExists, "Another writer kept changing the group during every attempt."),
        new("FileExists", ErrorCategory.ResourceExists, "Export-AksFirewallPolicy -NoClobber and the file exists."),
        new("ExportWriteFailed", ErrorCategory.WriteError, "The export file cannot be written."),

        // Reading a firewall policy from a file
        new("PolicyFileNotFound", ErrorCategory.ObjectNotFound, "Test-AksFirewallPolicy -Path names no file."),
        new("PolicyFileUnreadable", ErrorCategory.ReadError, "The policy file cannot be read."),
        new("InvalidPolicyFile", ErrorCategory.InvalidData, "The policy file is not valid JSON, or a field has the wrong type."),
        new("NotAFirewallPolicy", ErrorCategory.InvalidData, "The file holds no firewall policy, rule collection group or ARM template of one."),
        new("PolicyNotInFile", ErrorCategory.ObjectNotFound, "-Name names no firewall policy of the file; the message lists those it holds."),
        new("SeveralPolicies", ErrorCategory.InvalidArgument, "The file holds several firewall policies and -Name does not say which to check; the message lists them."),
        new("BasePolicyCycle", ErrorCategory.InvalidData, "The basePolicy chain of the policy (in a file, or read live) comes back to a policy already in it."),

        // NetworkPolicies
        new("PathNotFound", ErrorCategory.ObjectNotFound, "A -Path or -LiteralPath does not exist. Non-terminating: the other paths are still read."),
        new("ManifestUnreadable", ErrorCategory.ReadError, "A manifest file cannot be read. Non-terminating."),
        new("NoManifests", ErrorCategory.ObjectNotFound, "The paths or the pipeline held no manifest to check."),
        new("UnknownEndpoint", ErrorCategory.ObjectNotFound, "-From or -To names no workload of the manifests; the message lists the closest."),
        new("AmbiguousEndpoint", ErrorCategory.ObjectNotFound, "-From or -To names workloads in several namespaces; write namespace/name."),
    ];

    private static readonly Dictionary<string, ErrorSpec> ById = All.ToDictionary(e => e.Id, StringComparer.Ordinal);

    /// <summary>The ErrorRecord of <paramref name="errorId"/>, with the registry's category.</summary>
    public static ErrorRecord Record(Exception exception, string errorId, object? target) =>
        ById.TryGetValue(errorId, out var spec)
            ? new ErrorRecord(exception, spec.Id, spec.Category, target)
            : throw new InvalidOperationException($"ErrorId '{errorId}' is not in ModuleErrors.All.", exception);
}
