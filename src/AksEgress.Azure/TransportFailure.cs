using System.Net.Sockets;
using System.Security.Authentication;

namespace AksEgress.Azure;

/// <summary>
/// Transport failures that waiting does not cure, found however deep the HTTP stack wrapped them: the TLS handshake
/// refused the server's certificate (TLS inspection by a proxy, a private CA), or the host name does not resolve.
/// </summary>
internal sealed record TransportFailure(string ErrorId, string Message)
{
    public static TransportFailure? Of(Exception? exception)
    {
        foreach (var ex in Chain(exception))
        {
            if (ex is AuthenticationException)
            {
                return new("ArmCertificateUntrusted", $"The TLS connection to ARM failed: {Innermost(ex)} When a proxy inspects TLS, "
                    + "add its root certificate to this machine's trusted roots (on Linux the system store, or SSL_CERT_FILE for one process); otherwise check -ArmEndpoint and the system clock.");
            }

            if (ex is SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData })
            {
                return new("ArmHostNotFound", $"The ARM endpoint's host name does not resolve: {ex.Message}. Check DNS, the proxy settings (HTTPS_PROXY) and -ArmEndpoint.");
            }
        }

        return null;
    }

    private static IEnumerable<Exception> Chain(Exception? exception)
    {
        var pending = new Stack<Exception>();
        if (exception is not null)
        {
            pending.Push(exception);
        }

        while (pending.Count > 0)
        {
            var ex = pending.Pop();
            yield return ex;
            if (ex is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Push(inner);
                }
            }
            else if (ex.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }

    private static string Innermost(Exception ex)
    {
        while (ex.InnerException is { } inner)
        {
            ex = inner;
        }

        return ex.Message.TrimEnd('.') + ".";
    }
}
