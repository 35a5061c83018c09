using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CoSell.Application.Abstractions;
using CoSell.Infrastructure.Idempotency;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace CoSell.Web.Http;

public sealed class IdempotencyKeyReusedException()
    : Exception("This Idempotency-Key was first used with a different request; use a new key for a new request.");

/// <summary>
/// Honours <c>Idempotency-Key</c> on creates: the same key with the same body answers the first response
/// again; with another body, 422. Keys are scoped to the caller (its sub, role and partner) and kept 24 hours.
/// </summary>
public sealed class IdempotencyFilter : IEndpointFilter
{
    public const string Header = "Idempotency-Key";
    private const int MaximumKeyLength = 200;

    // Requests with the same key wait for each other; striped so memory stays bounded.
    private static readonly SemaphoreSlim[] Stripes = Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var key = http.Request.Headers[Header].ToString();
        if (key.Length == 0)
        {
            return await next(context);
        }

        if (key.Length > MaximumKeyLength || key.Any(char.IsControl))
        {
            throw new BadHttpRequestException($"An Idempotency-Key has 1 to {MaximumKeyLength} printable characters.");
        }

        var services = http.RequestServices;
        var user = services.GetRequiredService<ICurrentUser>();
        var json = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var scopedKey = ScopedKey(user, key);
        var hash = await HashAsync(http.Request);
        var store = services.GetRequiredService<IdempotencyStore>();

        var stripe = Stripes[(scopedKey.GetHashCode(StringComparison.Ordinal) & int.MaxValue) % Stripes.Length];
        await stripe.WaitAsync(http.RequestAborted);
        try
        {
            if (await store.FindAsync(scopedKey, http.RequestAborted) is { } first)
            {
                return first.RequestHash == hash ? Replay(http, first) : throw new IdempotencyKeyReusedException();
            }

            var result = await next(context);
            if (result is IStatusCodeHttpResult { StatusCode: >= 200 and < 300 } status and IValueHttpResult value)
            {
                await store.SaveAsync(new IdempotencyRecord
                {
                    Key = scopedKey,
                    RequestHash = hash,
                    StatusCode = status.StatusCode!.Value,
                    ResponseBody = JsonSerializer.Serialize(value.Value, json),
                    Location = result.GetType().GetProperty(nameof(Created.Location))?.GetValue(result) as string,
                    ETag = http.Response.Headers.ETag is { Count: > 0 } etag ? etag.ToString() : null,
                    CreatedAt = services.GetRequiredService<TimeProvider>().GetUtcNow(),
                }, CancellationToken.None);
            }

            return result;
        }
        finally
        {
            stripe.Release();
        }
    }

    /// <summary>
    /// The key as the caller's own: a hash of its <c>sub</c>, role and partner with the key, so that a token naming
    /// another partner (or role) under the same <c>sub</c> never replays what the first one created. Each part goes in
    /// with its length, so no two different callers and keys run together however they are spelt (a <c>:</c> in a
    /// <c>sub</c> or a key included).
    /// </summary>
    private static string ScopedKey(ICurrentUser user, string key)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[sizeof(int)];
        foreach (var part in new[] { user.UserId, user.Role, user.PartnerId?.ToString() ?? string.Empty, key })
        {
            BinaryPrimitives.WriteInt32BigEndian(length, part.Length);
            sha.AppendData(length);
            // The text's own UTF-16 code units: nothing is replaced on the way, as an encoding would a lone surrogate.
            sha.AppendData(MemoryMarshal.AsBytes(part.AsSpan()));
        }

        return Convert.ToHexString(sha.GetHashAndReset());
    }

    private static IResult Replay(HttpContext http, IdempotencyRecord first)
    {
        http.Response.Headers["Idempotent-Replayed"] = "true";
        if (!string.IsNullOrEmpty(first.Location))
        {
            http.Response.Headers.Location = first.Location;
        }

        if (!string.IsNullOrEmpty(first.ETag))
        {
            http.Response.Headers.ETag = first.ETag;
        }

        return Results.Text(first.ResponseBody, "application/json", Encoding.UTF8, first.StatusCode);
    }

    /// <summary>
    /// Hashes method, path and the raw body (buffered by <see cref="BufferIdempotentBodies"/>). The path is lower-cased
    /// and stripped of a trailing slash as routing matches it (and ids are GUIDs), so <c>/Registrations/</c> is the same
    /// request as <c>/registrations</c>.
    /// </summary>
    private static async Task<string> HashAsync(HttpRequest request)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path.ToString().TrimEnd('/').ToLowerInvariant()}\n"));
        if (request.Body.CanSeek)
        {
            request.Body.Position = 0;
            var buffer = new byte[8192];
            int read;
            while ((read = await request.Body.ReadAsync(buffer)) > 0)
            {
                sha.AppendData(buffer, 0, read);
            }
        }

        return Convert.ToHexString(sha.GetHashAndReset());
    }
}

/// <summary>Keeps the body of a request that carries an Idempotency-Key readable after binding, so it can be hashed.</summary>
public sealed class BufferIdempotentBodies(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Headers.ContainsKey(IdempotencyFilter.Header))
        {
            context.Request.EnableBuffering();
        }

        return next(context);
    }
}
