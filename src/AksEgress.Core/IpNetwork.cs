using System.Net;
using System.Net.Sockets;

namespace AksEgress;

/// <summary>An address block (CIDR), IPv4 or IPv6, compared as big-endian bytes.</summary>
public readonly record struct IpNetwork(byte[] Address, int PrefixLength)
{
    public bool IsIPv6 => Address.Length == 16;

    /// <summary>
    /// Whether the text is a whole IPv4 address (four dotted parts: IPAddress.TryParse alone accepts "10.1") or an
    /// IPv6 address. The one address check of the module: catalogs, firewall sources and CIDR blocks use it.
    /// </summary>
    public static bool IsAddress(string text) =>
        (text.Contains(':') || text.Count(c => c == '.') == 3) && IPAddress.TryParse(text, out _);

    /// <summary>Parses "10.0.0.0/16" (host bits may be set, as Kubernetes' sloppy parser allows); null if invalid.</summary>
    public static IpNetwork? Parse(string cidr)
    {
        var slash = cidr.IndexOf('/');
        if (slash <= 0 || !IsAddress(cidr.Substring(0, slash))
            || !int.TryParse(cidr.Substring(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var prefix))
        {
            return null;
        }

        var ip = IPAddress.Parse(cidr.Substring(0, slash));

        var bytes = ip.GetAddressBytes();
        return prefix > bytes.Length * 8 ? null : new IpNetwork(Mask(bytes, prefix), prefix);
    }

    public bool Contains(IPAddress ip) =>
        Contains(ip.AddressFamily == AddressFamily.InterNetworkV6 && ip.IsIPv4MappedToIPv6 && !IsIPv6 ? ip.MapToIPv4().GetAddressBytes() : ip.GetAddressBytes());

    /// <summary>Whether the address (big-endian bytes) is in the block; allocates nothing.</summary>
    public bool Contains(byte[] address)
    {
        if (address.Length != Address.Length)
        {
            return false;
        }

        for (var i = 0; i < address.Length; i++)
        {
            var bits = Math.Max(0, Math.Min(8, PrefixLength - (i * 8)));
            if ((address[i] & (byte)(0xFF << (8 - bits))) != Address[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when <paramref name="other"/> lies inside this block and is smaller (Kubernetes' "strict subset" for except).</summary>
    public bool StrictlyContains(IpNetwork other) =>
        other.Address.Length == Address.Length && other.PrefixLength > PrefixLength && Mask(other.Address, PrefixLength).SequenceEqual(Address);

    private static byte[] Mask(byte[] bytes, int prefix)
    {
        var masked = (byte[])bytes.Clone();
        for (var i = 0; i < masked.Length; i++)
        {
            var bits = Math.Max(0, Math.Min(8, prefix - (i * 8)));
            masked[i] &= (byte)(0xFF << (8 - bits));
        }

        return masked;
    }

    public override string ToString() => $"{new IPAddress(Address)}/{PrefixLength}";
}
