using System.Text;
using Microsoft.AspNetCore.Mvc;

namespace CoSell.Web.Http;

/// <summary>
/// SignalR's HTTP transports answer their own errors in <c>text/plain</c> ("Connection ID required", "No Connection
/// with that ID", a 405 with no body). Under <c>/hubs</c> this turns each into the service's problem+json, with
/// SignalR's text as the detail. A transport's successful answers (negotiation, server-sent events, long polling,
/// the WebSocket upgrade) pass through as they are: the decision is made at the first byte, from the status.
/// </summary>
public sealed class HubTransportProblems(RequestDelegate next, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var response = context.Response;
        var original = response.Body;
        var body = new ErrorCapture(original, response);
        response.Body = body;
        try
        {
            await next(context);
        }
        finally
        {
            response.Body = original;
        }

        // A message over the body limit fails SignalR's read, which it answers as a bare 400: say what it was.
        var overflowed = RequestLimits.ExceededLimit(context);
        if (overflowed is not null && !response.HasStarted && response.StatusCode >= 400)
        {
            response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        }

        if (response.HasStarted || response.StatusCode < 400 || (!body.Captured && IsJson(response.ContentType)))
        {
            return;
        }

        var detail = overflowed is { } limit ? RequestLimits.TooLarge(limit).Message.TrimEnd('.') : body.Text;
        if (response.StatusCode == StatusCodes.Status405MethodNotAllowed && response.Headers.Allow.Count == 0)
        {
            // RFC 9110 15.5.6: a 405 names the methods the resource takes, which SignalR's does not.
            response.Headers.Allow = context.Request.Path.Value!.EndsWith("/negotiate", StringComparison.OrdinalIgnoreCase) ? "POST" : "GET, POST, DELETE";
        }

        response.ContentType = null;
        response.ContentLength = null;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = response.StatusCode, Detail = detail.Length > 0 ? $"{detail.TrimEnd('.')}." : null },
        });
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null && (contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) || contentType.StartsWith("application/problem+json", StringComparison.OrdinalIgnoreCase));

    /// <summary>Passes a successful answer through; keeps an error's text (the first 1 KiB) instead of sending it.</summary>
    private sealed class ErrorCapture(Stream inner, HttpResponse response) : Stream
    {
        private const int MaximumText = 1024;

        private readonly MemoryStream _text = new();
        private bool? _capturing;

        public bool Captured => _capturing == true;

        public string Text => Encoding.UTF8.GetString(_text.GetBuffer(), 0, (int)_text.Length).Trim();

        private bool Capturing => _capturing ??= response.StatusCode >= 400 && !IsJson(response.ContentType);

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
            if (!Capturing)
            {
                inner.Flush();
            }
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Capturing ? Task.CompletedTask : inner.FlushAsync(cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (Capturing)
            {
                Keep(buffer);
            }
            else
            {
                inner.Write(buffer);
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!Capturing)
            {
                return inner.WriteAsync(buffer, cancellationToken);
            }

            Keep(buffer.Span);
            return ValueTask.CompletedTask;
        }

        private void Keep(ReadOnlySpan<byte> bytes) => _text.Write(bytes[..Math.Min(bytes.Length, MaximumText - (int)_text.Length)]);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _text.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
