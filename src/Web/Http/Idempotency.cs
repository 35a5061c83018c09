using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CoSell.Application.Abstractions;
using CoSell.Infrastructure.Idempotency;
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
        if (!http.Request.Headers.TryGetValue(Header, out var values))
        {
            return await next(context);
        }

        // A header sent empty (or twice) names no key: a retry would create again, so it is refused rather than ignored.
        var key = values.Count == 1 ? values[0] ?? string.Empty : string.Empty;
        if (key.Length is 0 or > MaximumKeyLength || key.Any(char.IsControl))
        {
            throw new BadHttpRequestException($"An Idempotency-Key is sent once, with 1 to {MaximumKeyLength} printable characters.");
        }

        var services = http.RequestServices;
        var user = services.GetRequiredService<ICurrentUser>();
        var json = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var scopedKey = ScopedKey(user, key);
        var hash = await RequestHash.ReadAsync(http.Request);
        var store = services.GetRequiredService<IdempotencyStore>();

        var stripe = Stripes[(scopedKey.GetHashCode(StringComparison.Ordinal) & int.MaxValue) % Stripes.Length];
        await stripe.WaitAsync(http.RequestAborted);
        try
        {
            if (await store.FindAsync(scopedKey, http.RequestAborted) is { } first)
            {
                if (store.IsKept(first))
                {
                    return hash.Matches(first.RequestHash) ? Replay(http, first) : throw new IdempotencyKeyReusedException();
                }

                await store.RemoveAsync(scopedKey, http.RequestAborted);
            }

            // The endpoint's command stores its answer in its own commit (ETags.SendCreated/SendVersioned say how the
            // answer is made from the command's response); nothing is stored when it fails. Every route that honours
            // the key answers through those helpers (IdempotentRoutesTests proves each one's replay).
            services.GetRequiredService<AnswerRecorder>().Arm(scopedKey, hash.Current, json);
            return await next(context);
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
}

/// <summary>
/// The hash of a request's method, path and body (buffered by <see cref="BufferIdempotentBodies"/>) that its
/// Idempotency-Key record keeps. The path is lower-cased and stripped of a trailing slash as routing matches it, and an id
/// in it is written as a GUID in one form, as routing reads any of them, so <c>/Registrations/</c> is the same request as
/// <c>/registrations</c> and an id without its hyphens the same as one with them; a JSON body is hashed in its canonical
/// form (<see cref="CanonicalJson"/>), so white space, the order of fields, the case of their names and the way a number
/// is written do not make another request, and no body is the empty object a route with an optional body reads it as.
/// </summary>
internal sealed class RequestHash
{
    private static readonly byte[] EmptyObject = "{}"u8.ToArray();

    private readonly byte[] _head;
    private readonly byte[]? _headAsSent;
    private readonly ReadOnlyMemory<byte> _body;
    private readonly byte[]? _canonical;

    private RequestHash(byte[] head, byte[]? headAsSent, ReadOnlyMemory<byte> body)
    {
        _head = head;
        _headAsSent = headAsSent;
        _body = body;
        _canonical = CanonicalJson.TryWrite(body.Length > 0 ? body : EmptyObject);
        Current = Of(_head, _canonical ?? body);
    }

    /// <summary>The hash a record stored now keeps.</summary>
    public string Current { get; }

    public static async Task<RequestHash> ReadAsync(HttpRequest request)
    {
        var asSent = request.Path.ToString().TrimEnd('/').ToLowerInvariant();
        var path = string.Join('/', asSent.Split('/').Select(segment => Guid.TryParse(segment, out var id) ? id.ToString() : segment));
        var head = Encoding.UTF8.GetBytes($"{request.Method} {path}\n");
        // A record stored before ids were written in one form was hashed with the path as sent (lower-cased).
        var headAsSent = path == asSent ? null : Encoding.UTF8.GetBytes($"{request.Method} {asSent}\n");
        if (!request.Body.CanSeek)
        {
            return new RequestHash(head, headAsSent, ReadOnlyMemory<byte>.Empty);
        }

        request.Body.Position = 0;
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        return new RequestHash(head, headAsSent, body.ToArray());
    }

    /// <summary>
    /// Whether a stored record's hash is of this request: under the canonical form, or under a form a record stored
    /// before it was hashed with (within its 24 hours): the path as sent rather than with its ids in one form, the
    /// canonical form with numbers as sent, and before that the body's bytes as sent. Each of those is of the same
    /// request, so the record's first answer is answered again.
    /// </summary>
    public bool Matches(string stored)
    {
        if (stored == Current)
        {
            return true;
        }

        if (_headAsSent is not null && stored == Of(_headAsSent, _canonical ?? _body))
        {
            return true;
        }

        if (_canonical is null)
        {
            return false;
        }

        var numbersAsSent = _body.Length > 0 ? CanonicalJson.TryWriteWithNumbersAsSent(_body) : null;
        foreach (var head in _headAsSent is null ? [_head] : new[] { _head, _headAsSent })
        {
            if ((numbersAsSent is not null && stored == Of(head, numbersAsSent)) || stored == Of(head, _body))
            {
                return true;
            }
        }

        return false;
    }

    private static string Of(byte[] head, ReadOnlyMemory<byte> body)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(head);
        sha.AppendData(body.Span);
        return Convert.ToHexString(sha.GetHashAndReset());
    }
}

/// <summary>How an endpoint answers a command's response: the status, the address of what it created, the version it names as ETag.</summary>
public sealed record StoredAnswer(int StatusCode, string? Location, long? Version);

/// <summary>
/// The first answer to an Idempotency-Key, recorded in the commit of the command it answers: the filter arms it with
/// the caller's key, the endpoint says how its answer is made from the command's response (<see cref="Expect{T}"/>),
/// and the unit of work stages the record just before committing. A create is never stored without its answer, so a
/// retry after a failure finds either both or neither.
/// </summary>
public sealed class AnswerRecorder(IServiceProvider services) : IAnswerRecorder
{
    private (string Key, string Hash, JsonSerializerOptions Json)? _armed;
    private Func<object, StoredAnswer?>? _answer;

    private bool _recorded;

    internal void Arm(string key, string hash, JsonSerializerOptions json) => _armed = (key, hash, json);

    /// <summary>Says how the request's answer is made from the command's response, should it carry an Idempotency-Key.</summary>
    public static void Expect<T>(HttpContext http, Func<T, StoredAnswer> answer)
    {
        var recorder = http.RequestServices.GetRequiredService<AnswerRecorder>();
        if (recorder._armed is not null)
        {
            recorder._answer = response => response is T typed ? answer(typed) : null;
        }
    }

    public void BeforeCommit(object? response)
    {
        if (_armed is not { } armed || _recorded || response is null || _answer?.Invoke(response) is not { } answer)
        {
            return;
        }

        services.GetRequiredService<IdempotencyStore>().Stage(new IdempotencyRecord
        {
            Key = armed.Key,
            RequestHash = armed.Hash,
            StatusCode = answer.StatusCode,
            ResponseBody = JsonSerializer.Serialize(response, response.GetType(), armed.Json),
            Location = answer.Location,
            ETag = answer.Version is { } version ? ETags.Format(version) : null,
            CreatedAt = services.GetRequiredService<TimeProvider>().GetUtcNow(),
        });
        _recorded = true;
    }

    /// <summary>The record staged went with the failed commit's unit of work (<see cref="IUnitOfWork.Discard"/>).</summary>
    public void Discard() => _recorded = false;
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
