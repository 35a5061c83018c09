using System.Collections.Concurrent;
using System.Text.Json;
using CoSell.Web.Identity;

namespace CoSell.Web.Realtime;

/// <summary>
/// The user who negotiated each hub connection. A connection's token is all a transport request names (<c>?id=</c>),
/// and SignalR serves whoever presents it: another user's request only makes it log a warning, and a long poll then
/// delivers the connection's pushes to that user. So a transport request is served only to the user who negotiated the
/// connection (ADR 0006); anyone else hears "No Connection with that ID", as for a connection that does not exist.
/// </summary>
public sealed class HubConnectionOwners : IDisposable
{
    /// <summary>
    /// How long a negotiated connection that never started, or one whose hub has ended, is remembered: twice SignalR's
    /// disconnect timeout (15 s by default), after which SignalR has dropped it, so forgetting it refuses nothing SignalR
    /// would still serve.
    /// </summary>
    internal static readonly TimeSpan Remembered = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The connections one user may hold at once, from its negotiation until it is forgotten: a client opens one per
    /// page or app and a reconnection a few, while a flood of negotiations holds SignalR's state for each (some 6 KB)
    /// until it is dropped, and ran the service's memory from 147 MB to over 350 MB in seconds.
    /// </summary>
    internal const int MaximumPerUser = 100;

    /// <summary>How often connections past <see cref="Remembered"/> are looked for and let go.</summary>
    internal static readonly TimeSpan SweptEvery = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest a place is held after its connection ended, or after its negotiation for one never started: the wait a
    /// refused user is told (<c>Retry-After</c>).
    /// </summary>
    internal static readonly TimeSpan PlaceHeldAtMost = Remembered + SweptEvery;

    /// <summary>What a user holding every place it may is told, by a 429 to its negotiation or at its connection's start.</summary>
    internal static readonly string TooManyConnections =
        $"A user holds at most {MaximumPerUser} hub connections at once, counted from their negotiation: close one, or try again in {(int)PlaceHeldAtMost.TotalSeconds} seconds, by when those that ended, or were negotiated and never started, are let go.";

    private readonly TimeProvider _time;
    private readonly ITimer _sweep;
    private readonly ConcurrentDictionary<string, Owner> _byToken = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _tokenOfConnection = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _heldByUser = new(StringComparer.Ordinal);

    public HubConnectionOwners(TimeProvider time)
    {
        _time = time;
        // Swept on a timer rather than by the next negotiation, so a burst of negotiations is let go when it is over, and
        // often, so a place comes back when the user is told it will.
        _sweep = time.CreateTimer(_ => Sweep(), null, SweptEvery, SweptEvery);
    }

    public int Count => _byToken.Count;

    /// <summary>
    /// Takes one of the user's places for a connection about to be negotiated, or answers false when it holds them all.
    /// The place is the connection's once <see cref="Negotiated"/> records it, and goes back with <see cref="Unreserve"/>
    /// when the negotiation hands out none.
    /// </summary>
    public bool TryReserve(string userId)
    {
        while (true)
        {
            if (!_heldByUser.TryGetValue(userId, out var held))
            {
                if (_heldByUser.TryAdd(userId, 1))
                {
                    return true;
                }
            }
            else if (held >= MaximumPerUser)
            {
                return false;
            }
            else if (_heldByUser.TryUpdate(userId, held + 1, held))
            {
                return true;
            }
        }
    }

    /// <summary>Gives back a place <see cref="TryReserve"/> took, or the place of a connection forgotten.</summary>
    public void Unreserve(string userId)
    {
        while (_heldByUser.TryGetValue(userId, out var held))
        {
            if (held <= 1 ? _heldByUser.TryRemove(KeyValuePair.Create(userId, held)) : _heldByUser.TryUpdate(userId, held - 1, held))
            {
                return;
            }
        }
    }

    /// <summary>Records the connection a negotiation handed out, in the place <see cref="TryReserve"/> took for it.</summary>
    public void Negotiated(string token, string connectionId, string userId)
    {
        _byToken[token] = new Owner(userId, connectionId, _time.GetUtcNow());
        _tokenOfConnection[connectionId] = token;
    }

    /// <summary>Whether the connection the token names was negotiated by this user; an unknown token is nobody's.</summary>
    public bool IsOwnedBy(string token, string userId) => _byToken.TryGetValue(token, out var owner) && owner.UserId == userId;

    /// <summary>
    /// The hub's side of the connection started. A connection that was never negotiated (a WebSocket client may skip
    /// negotiation) takes its user's place now; false when the user holds every place it may, and the connection is refused.
    /// </summary>
    public bool TryStart(string connectionId, string userId)
    {
        if (_tokenOfConnection.TryGetValue(connectionId, out var token) && _byToken.TryGetValue(token, out var owner))
        {
            owner.Started = true;
            return true;
        }

        if (!TryReserve(userId))
        {
            return false;
        }

        // Its id stands for its token: no transport request names it, and the sweep lets it go once it has ended.
        _byToken[connectionId] = new Owner(userId, connectionId, _time.GetUtcNow()) { Started = true };
        _tokenOfConnection[connectionId] = connectionId;
        return true;
    }

    /// <summary>
    /// The hub's side of the connection ended. Its owner is still served until SignalR drops the connection: the
    /// transport's next request carries what is still unsent (a long poll's last messages, the close itself), and only
    /// then does SignalR let the connection go. So the owner is forgotten by the sweep, once SignalR has dropped it.
    /// </summary>
    public void Ended(string connectionId)
    {
        if (_tokenOfConnection.TryGetValue(connectionId, out var token) && _byToken.TryGetValue(token, out var owner))
        {
            owner.EndedAt = _time.GetUtcNow();
        }
    }

    public void Dispose() => _sweep.Dispose();

    private void Sweep()
    {
        var now = _time.GetUtcNow();
        foreach (var (token, owner) in _byToken)
        {
            if ((!owner.Started && now - owner.NegotiatedAt > Remembered) || (owner.EndedAt is { } ended && now - ended > Remembered))
            {
                if (_byToken.TryRemove(token, out _))
                {
                    _tokenOfConnection.TryRemove(owner.ConnectionId, out _);
                    Unreserve(owner.UserId);
                }
            }
        }
    }

    private sealed class Owner(string userId, string connectionId, DateTimeOffset negotiatedAt)
    {
        private volatile bool _started;
        private long _endedAtTicks;

        public string UserId { get; } = userId;

        public string ConnectionId { get; } = connectionId;

        public DateTimeOffset NegotiatedAt { get; } = negotiatedAt;

        public bool Started
        {
            get => _started;
            set => _started = value;
        }

        /// <summary>When the hub's side ended, or null while it lives; written by the hub, read by the sweep.</summary>
        public DateTimeOffset? EndedAt
        {
            get => Volatile.Read(ref _endedAtTicks) is var ticks and not 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;
            set => Volatile.Write(ref _endedAtTicks, value?.UtcTicks ?? 0);
        }
    }
}

/// <summary>
/// Records who negotiated each hub connection, and refuses a transport request (<c>?id=</c>) from anyone else with the
/// answer SignalR gives for an unknown connection. Runs after authorisation, so the caller is known.
/// </summary>
public sealed class HubConnectionOwnership(RequestDelegate next, HubConnectionOwners owners)
{
    private const int MaximumNegotiationBytes = 16 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var userId = context.User.CoSellUserId();
        if (IsNegotiation(context))
        {
            await NegotiateAsync(context, userId);
            return;
        }

        // No id is SignalR's own 400 ("Connection ID required"), and a request that names none starts a connection of its own.
        if (context.Request.Query.TryGetValue("id", out var id) && !string.IsNullOrEmpty(id.ToString()) && !owners.IsOwnedBy(id.ToString(), userId))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("No Connection with that ID");
            return;
        }

        await next(context);
    }

    /// <summary>A hub's negotiation, as routing found it (<c>/hubs/…/negotiate</c>, with or without a trailing slash).</summary>
    internal static bool IsNegotiation(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Connections.NegotiateMetadata>() is not null;

    private async Task NegotiateAsync(HttpContext context, string userId)
    {
        if (!owners.TryReserve(userId))
        {
            await TooManyConnectionsAsync(context);
            return;
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        var recorded = false;
        try
        {
            await next(context);
            if (context.Response.StatusCode == StatusCodes.Status200OK && buffer.Length <= MaximumNegotiationBytes && Connection(buffer) is { } negotiated)
            {
                owners.Negotiated(negotiated.Token, negotiated.Id, userId);
                recorded = true;
            }
        }
        finally
        {
            context.Response.Body = original;
            if (!recorded)
            {
                owners.Unreserve(userId);
            }
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    /// <summary>
    /// 429 to a user holding as many connections as it may: it closes one, or waits for those it negotiated and never
    /// started, or that ended, to be let go (at most <see cref="HubConnectionOwners.PlaceHeldAtMost"/>).
    /// </summary>
    private static async Task TooManyConnectionsAsync(HttpContext context)
    {
        var seconds = (int)HubConnectionOwners.PlaceHeldAtMost.TotalSeconds;
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many hub connections.",
                Detail = HubConnectionOwners.TooManyConnections,
                Extensions = { ["code"] = "hub.too_many_connections" },
            },
        });
    }

    /// <summary>The connection a negotiation answered: its token (protocol 1) or its id (protocol 0, where the id is the token).</summary>
    private static (string Token, string Id)? Connection(MemoryStream body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.GetBuffer().AsMemory(0, (int)body.Length));
            var root = document.RootElement;
            var id = root.TryGetProperty("connectionId", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
            var token = root.TryGetProperty("connectionToken", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : id;
            return id is null || token is null ? null : (token, id);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
