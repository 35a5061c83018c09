using System.Globalization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;
using CoSell.Domain.SeedWork;

namespace CoSell.Web.Http;

/// <summary>
/// Refuses a JSON body in a charset no encoding here answers to or under a content coding (415), and bodies over the limit before anything reads them (413), whatever server hosts the app. The limit
/// is 256 KiB unless the endpoint names its own (account-list uploads), which is then also counted as the
/// body is read, for servers that do not enforce it themselves.
/// </summary>
public sealed class RequestLimits(RequestDelegate next)
{
    public const long MaximumBodyBytes = 256 * 1024;

    /// <summary>How many times its limit a body of no stated length may take on the wire: a byte a chunk takes six.</summary>
    private const long FramingAllowance = 8;

    /// <summary>The <see cref="HttpContext.Items"/> key present, with the limit, once a read went over the body limit.</summary>
    private static readonly object Exceeded = new();

    /// <summary>The limit a read of this request's body went over, if one did.</summary>
    internal static long? ExceededLimit(HttpContext context) => context.Items.TryGetValue(Exceeded, out var limit) ? limit as long? : null;

    public Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        var own = endpoint?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize;
        var limit = own ?? MaximumBodyBytes;

        // An action that reads no body (submit, accept, a read by id, a probe, the API description) does not judge one
        // sent anyway: it is never read, and the action's own answer (a role that may not act, a resource or a path that
        // does not exist) comes first. The hub's transports read theirs without saying so. The limit below still holds
        // should anything read it.
        var binds = endpoint?.Metadata.GetMetadata<IAcceptsMetadata>() is not null;
        var readsBody = own is not null || binds || (endpoint is not null && context.Request.Path.StartsWithSegments("/hubs"));
        var (type, charset, encoding) = readsBody ? Charset(context.Request) : default;
        if (charset is not null && encoding is null)
        {
            throw new BadHttpRequestException($"The charset '{charset}' is not one this service can read; send UTF-8.", StatusCodes.Status415UnsupportedMediaType);
        }

        // A coded body (gzip, br…) would be read as if it were plain: no route here decodes one. A request without a
        // body has nothing coded, whatever its headers say.
        if (readsBody && HasBody(context) && context.Request.Headers.ContentEncoding is { Count: > 0 } coding && !IsIdentity(coding))
        {
            throw new ContentCodingRefusedException($"The body's Content-Encoding '{Characters.Shown(coding.ToString())}' is not accepted; send the body uncompressed.");
        }

        // Kestrel takes the chunks of "Transfer-Encoding: gzip, chunked" and leaves the gzip to the reader, which reads none.
        if (readsBody && context.Request.Headers.TransferEncoding is { Count: > 0 } transfer && !IsChunkedOnly(transfer))
        {
            throw new ContentCodingRefusedException($"The body's Transfer-Encoding '{Characters.Shown(transfer.ToString())}' is not accepted; send it chunked or with a length, uncompressed.");
        }

        if (readsBody && context.Request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        // Counted as read where the endpoint names its own limit, and for a body of no stated length, for servers that do
        // not enforce the limit themselves; either way a read over it is noted, for those who answer it (the hub).
        var unstated = context.Request.ContentLength is null &&
            (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>() is { CanHaveBody: true } || context.Request.Headers.TransferEncoding.Count > 0);
        var feature = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            // Kestrel counts a chunked body's framing (each chunk's size line and line ends) against its limit, so a body
            // sent in small chunks would meet it far below the limit: the body itself is counted below, and the server's
            // limit leaves room for the framing while still bounding it.
            feature.MaxRequestBodySize = unstated ? (limit > long.MaxValue / FramingAllowance ? long.MaxValue : limit * FramingAllowance) : limit;
        }

        if (own is not null || (readsBody && unstated))
        {
            context.Request.Body = new CountingBody(context.Request.Body, limit, () => context.Items[Exceeded] = limit);
        }

        if (encoding is not null && binds)
        {
            // The framework's reader would decode what the charset cannot (a byte over 127 in US-ASCII, a lone surrogate
            // in UTF-16) as '?' or U+FFFD and store it so: the body is decoded strictly here, and handed on as UTF-8.
            context.Request.Body = new StrictlyDecodedBody(context.Request.Body, charset!, encoding);
            NameCharset(context.Request, type!, "utf-8");
            context.Request.ContentLength = null;
        }

        return next(context);
    }

    /// <summary>
    /// The charset a JSON body names other than UTF-8, with its encoding, set to fail on bytes it cannot decode; no
    /// encoding when none answers to that name here (an unknown name, or UTF-7, which the runtime no longer reads).
    /// Nothing for a body in UTF-8 or naming no charset.
    /// </summary>
    private static (MediaTypeHeaderValue? Type, string? Charset, System.Text.Encoding? Encoding) Charset(HttpRequest request)
    {
        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false } ||
            !MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || !type.Charset.HasValue ||
            !(type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) || type.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)))
        {
            return default;
        }

        // charset="utf-8" is charset=utf-8 (RFC 9110 5.6.6).
        var charset = (HeaderUtilities.IsQuoted(type.Charset) ? HeaderUtilities.RemoveQuotes(type.Charset) : type.Charset).ToString();
        if (charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            if (HeaderUtilities.IsQuoted(type.Charset))
            {
                // The framework's reader looks the quoted text up as it stands: the header is passed on unquoted.
                NameCharset(request, type, charset);
            }

            return default;
        }

        try
        {
            return (type, charset, System.Text.Encoding.GetEncoding(charset, System.Text.EncoderFallback.ExceptionFallback, System.Text.DecoderFallback.ExceptionFallback));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or FormatException)
        {
            return (type, Characters.Shown(charset), null);
        }
    }

    /// <summary>Passes the body on under the content type it came with, naming <paramref name="charset"/> as it stands.</summary>
    private static void NameCharset(HttpRequest request, MediaTypeHeaderValue type, string charset)
    {
        type.Charset = charset;
        request.ContentType = type.ToString();
    }

    private static bool HasBody(HttpContext context) =>
        context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestBodyDetectionFeature>() is not { CanHaveBody: false };

    /// <summary>No coding at all: only <c>identity</c>, or nothing, named.</summary>
    private static bool IsIdentity(Microsoft.Extensions.Primitives.StringValues coding) => NamesOnly(coding, "identity");

    /// <summary>Chunks alone, with nothing coded within them.</summary>
    private static bool IsChunkedOnly(Microsoft.Extensions.Primitives.StringValues transfer) => NamesOnly(transfer, "chunked");

    /// <summary>Whether a header's comma-separated list names nothing but <paramref name="name"/> (in any case), or nothing at all.</summary>
    private static bool NamesOnly(Microsoft.Extensions.Primitives.StringValues header, string name) =>
        header.All(value => value is null || value.Split(',').Select(part => part.Trim()).All(part => part.Length == 0 || part.Equals(name, StringComparison.OrdinalIgnoreCase)));

    internal static BadHttpRequestException TooLarge(long limit) =>
        new($"Request bodies on this route are limited to {Describe(limit)}.", StatusCodes.Status413PayloadTooLarge);

    private static string Describe(long bytes) =>
        bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0 ? $"{(bytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture)} MiB"
        : bytes % 1024 == 0 ? $"{(bytes / 1024).ToString(CultureInfo.InvariantCulture)} KiB"
        : $"{bytes.ToString(CultureInfo.InvariantCulture)} bytes";

    /// <summary>A request body that refuses to be read past its limit.</summary>
    private sealed class CountingBody(Stream inner, long limit, Action exceeded) : ReadOnlyBody
    {
        private long _read;

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            try
            {
                return Count(inner.Read(buffer));
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                // The server's own limit, met first.
                exceeded();
                throw;
            }
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return Count(await inner.ReadAsync(buffer, cancellationToken));
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                exceeded();
                throw;
            }
        }

        private int Count(int read)
        {
            _read += read;
            if (_read > limit)
            {
                exceeded();
                throw TooLarge(limit);
            }

            return read;
        }
    }
}

/// <summary>A request body read once, forward only: what a stream over it need not do.</summary>
internal abstract class ReadOnlyBody : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public abstract override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>
/// A body in another charset than UTF-8, read as UTF-8: bytes its charset cannot decode are a 400 naming the charset,
/// as invalid UTF-8 is, rather than characters replaced.
/// </summary>
internal sealed class StrictlyDecodedBody(Stream inner, string charset, System.Text.Encoding encoding) : ReadOnlyBody
{
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    private readonly Stream _utf8 = System.Text.Encoding.CreateTranscodingStream(inner, encoding, System.Text.Encoding.UTF8, leaveOpen: true);

    public override int Read(byte[] buffer, int offset, int count)
    {
        try
        {
            return _utf8.Read(buffer, offset, count);
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw Undecodable();
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _utf8.ReadAsync(buffer, cancellationToken);
        }
        catch (System.Text.DecoderFallbackException)
        {
            throw Undecodable();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _utf8.Dispose();
        }

        base.Dispose(disposing);
    }

    private UndecodableBodyException Undecodable() => new($"The body holds bytes that are not {charset} text; send it in UTF-8.");
}

/// <summary>A body whose bytes its own charset cannot decode: read as JSON that cannot be read (400).</summary>
public sealed class UndecodableBodyException(string message) : System.Text.Json.JsonException(message);

/// <summary>An endpoint's own body limit, in place of the global 256 KiB.</summary>
public sealed record BodySizeLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;

/// <summary>A body under a content coding, which no route decodes: 415, with <c>Accept-Encoding: identity</c> (RFC 9110 15.5.16).</summary>
public sealed class ContentCodingRefusedException(string message) : BadHttpRequestException(message, StatusCodes.Status415UnsupportedMediaType);
