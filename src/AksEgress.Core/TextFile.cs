using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace AksEgress;

/// <summary>
/// Reads a text file that a user named, safely: never more than a size limit (a link to /dev/zero would otherwise fill
/// the memory), never a file that gives more than its own size (a device), and on Unix without blocking on a FIFO
/// (opened non-blocking, it reads as empty instead of waiting forever for a writer). Failures are IOException (or
/// FileNotFoundException, UnauthorizedAccessException) with a message that names the file and what is wrong.
/// </summary>
public static class TextFile
{
    public const long DefaultMaxBytes = 256L * 1024 * 1024;

    public static string Read(string path, long maxBytes = DefaultMaxBytes)
    {
        using var stream = Open(path);
        var declared = stream.CanSeek ? stream.Length : -1;
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
            {
                throw new IOException($"'{path}' is larger than {maxBytes / (1024 * 1024)} MiB: it is not read.");
            }

            if (declared >= 0 && buffer.Length > declared)
            {
                throw new IOException($"'{path}' is not a regular file (it gives more than its size, as a device does): it is not read.");
            }
        }

        buffer.Position = 0;
        using var reader = new StreamReader(buffer, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    private static Stream Open(string path)
    {
        if (Environment.OSVersion.Platform != PlatformID.Unix && Environment.OSVersion.Platform != PlatformID.MacOSX)
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        }

        var macOs = RuntimeInformation.IsOSPlatform(OSPlatform.OSX);
        var flags = macOs ? 0x4 | 0x1000000 : 0x800 | 0x80000; // O_RDONLY | O_NONBLOCK | O_CLOEXEC
        var fd = open(path, flags);
        if (fd < 0)
        {
            var errno = Marshal.GetLastWin32Error();
            throw errno switch
            {
                2 => new FileNotFoundException($"Cannot find the file '{path}'.", path),
                13 or 1 => new UnauthorizedAccessException($"Access to '{path}' is denied."),
                21 => new IOException($"'{path}' is a folder, not a file."),
                _ => new IOException($"'{path}' cannot be opened (errno {errno})."),
            };
        }

        return new FileStream(new SafeFileHandle((IntPtr)fd, ownsHandle: true), FileAccess.Read, 1);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int open([MarshalAs(UnmanagedType.LPStr)] string path, int flags);
}
