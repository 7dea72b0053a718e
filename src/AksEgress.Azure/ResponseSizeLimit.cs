using System.Net.Http;

namespace AksEgress.Azure;

/// <summary>
/// Bounds ARM's answers in size, before Azure.Core buffers them: no answer of this module's calls comes near 64 MiB
/// (a rule collection group is at most 2 MB), and a 400 MB one would otherwise fill the memory.
/// </summary>
internal sealed class ResponseSizeLimit(HttpMessageHandler inner, long maxBytes) : DelegatingHandler(inner)
{
    public const long DefaultMaxBytes = 64L * 1024 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.Content is null)
        {
            return response;
        }

        if (response.Content.Headers.ContentLength is > 0 and var length && length > maxBytes)
        {
            response.Dispose();
            throw new ResponseTooLargeException(maxBytes);
        }

        var original = response.Content;
        var limited = new StreamContent(new LimitedStream(await original.ReadAsStreamAsync().ConfigureAwait(false), maxBytes));
        foreach (var header in original.Headers)
        {
            limited.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = limited;
        return response;
    }

    private sealed class LimitedStream(Stream inner, long maxBytes) : Stream
    {
        private long _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Count(await inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false));

        private int Count(int read)
        {
            _read += read;
            return _read > maxBytes ? throw new ResponseTooLargeException(maxBytes) : read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

/// <summary>An answer larger than <see cref="ResponseSizeLimit"/> allows; not retried.</summary>
internal sealed class ResponseTooLargeException(long maxBytes) : IOException($"ARM's answer is larger than {maxBytes / (1024 * 1024)} MiB; it is not read.");
