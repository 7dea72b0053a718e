using System.Text.RegularExpressions;

namespace AksEgress.NetworkPolicy;

/// <summary>
/// The name rules of k8s.io/apimachinery/pkg/util/validation, which the API server applies to NetworkPolicies.
/// Each check returns null when the value is valid, else what is wrong, in the API server's words.
/// </summary>
public static class KubernetesNames
{
    private static readonly Regex DnsLabelPattern = new("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant);
    private static readonly Regex DnsSubdomainPattern = new(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", RegexOptions.CultureInvariant);
    private static readonly Regex QualifiedNamePattern = new("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$", RegexOptions.CultureInvariant);
    private static readonly Regex LabelValuePattern = new("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$", RegexOptions.CultureInvariant);
    private static readonly Regex PortNamePattern = new("^[-a-z0-9]+$", RegexOptions.CultureInvariant);

    /// <summary>RFC 1123 subdomain: at most 253 characters, lower-case alphanumerics, '-' and '.', alphanumeric at both ends.</summary>
    public static string? DnsSubdomain(string value) =>
        value.Length > 253 ? "must be no more than 253 characters"
        : DnsSubdomainPattern.IsMatch(value) ? null
        : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";

    /// <summary>RFC 1123 label: at most 63 characters, lower-case alphanumerics and '-', alphanumeric at both ends.</summary>
    public static string? DnsLabel(string value) =>
        value.Length > 63 ? "must be no more than 63 characters"
        : DnsLabelPattern.IsMatch(value) ? null
        : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";

    /// <summary>A label key: an optional DNS-subdomain prefix and '/', then a name of at most 63 characters.</summary>
    public static string? QualifiedName(string value)
    {
        var parts = value.Split('/');
        string name;
        if (parts.Length == 2)
        {
            if (parts[0].Length == 0)
            {
                return "prefix part must be non-empty";
            }

            if (DnsSubdomain(parts[0]) is { } prefixProblem)
            {
                return "prefix part " + prefixProblem;
            }

            name = parts[1];
        }
        else if (parts.Length == 1)
        {
            name = parts[0];
        }
        else
        {
            return "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
        }

        return name.Length == 0 ? "name part must be non-empty"
            : name.Length > 63 ? "name part must be no more than 63 characters"
            : QualifiedNamePattern.IsMatch(name) ? null
            : "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    }

    /// <summary>A label value: empty, or at most 63 alphanumerics, '-', '_' and '.', alphanumeric at both ends.</summary>
    public static string? LabelValue(string value) =>
        value.Length > 63 ? "must be no more than 63 characters"
        : LabelValuePattern.IsMatch(value) ? null
        : "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

    /// <summary>An IANA service name (a named port): at most 15 characters, lower-case alphanumerics and '-', at least one letter, no '-' at either end or twice in a row.</summary>
    public static string? PortName(string value) =>
        value.Length is 0 or > 15 ? "must be no more than 15 characters"
        : !PortNamePattern.IsMatch(value) ? "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"
        : value.Contains("--") ? "must not contain consecutive hyphens"
        : !value.Any(c => c is >= 'a' and <= 'z') ? "must contain at least one letter (a-z)"
        : value.StartsWith("-", StringComparison.Ordinal) || value.EndsWith("-", StringComparison.Ordinal) ? "must not begin or end with a hyphen"
        : null;
}
