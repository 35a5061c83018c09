using System.Globalization;
using FluentValidation;
using FluentValidation.Results;

namespace CoSell.Web.Http;

/// <summary>
/// Checks the query parameters the lists share before the route binds them: a binding failure would otherwise be a
/// bare 400 that does not say which parameter was wrong. <c>page</c> and <c>pageSize</c> are whole numbers from 1 (a
/// page holds at most 100, and a larger page size, even one no <c>int</c> holds, is served as 100), <c>partnerId</c> is
/// an id, <c>after</c> an id or a list's <c>next</c> cursor, <c>overdue</c>, <c>all</c> and <c>isActive</c> are true or false, <c>from</c>
/// and <c>to</c> are instants, and none of them, nor any other parameter the route reads from the query (<c>status</c>,
/// <c>stage</c>, <c>format</c>…), is given twice or holds a control character. Names are matched in any case, as binding does. Only the parameters the endpoint
/// binds are checked: a route that reads no page ignores <c>?page=0</c>, as it ignores any query it does not read, and
/// its own checks (a role that may not act) come first. A hub's negotiation (<c>/hubs/…/negotiate</c>) has its
/// <c>negotiateVersion</c> checked the same way.
/// </summary>
public sealed class QueryParameters(RequestDelegate next)
{
    private enum Kind
    {
        Count,
        Id,
        Place,
        Flag,
        Instant,
    }

    private static readonly Dictionary<string, Kind> Checked = new(StringComparer.Ordinal)
    {
        ["page"] = Kind.Count,
        ["pageSize"] = Kind.Count,
        ["partnerId"] = Kind.Id,
        ["after"] = Kind.Place,
        ["overdue"] = Kind.Flag,
        ["all"] = Kind.Flag,
        ["isActive"] = Kind.Flag,
        ["from"] = Kind.Instant,
        ["to"] = Kind.Instant,
    };

    public Task InvokeAsync(HttpContext context)
    {
        if (Realtime.HubConnectionOwnership.IsNegotiation(context) && context.Request.Query.TryGetValue("negotiateVersion", out var version) && NegotiateVersionProblem(version) is { } unreadable)
        {
            throw new ValidationException([new ValidationFailure("negotiateVersion", unreadable)]);
        }

        if (context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) && context.Request.Query.Count > 0)
        {
            var binds = Bound(context.GetEndpoint());
            var failures = new List<ValidationFailure>();
            foreach (var (key, values) in context.Request.Query)
            {
                if (!binds.TryGetValue(key, out var name))
                {
                    continue;
                }

                // Every parameter reads one value: binding would join repeats with commas ('Approved,Draft') or refuse them bare.
                var problem = values.Count > 1 ? $"Give {name} once."
                    // Number, flag and instant parsing would overlook a trailing NUL ('1%00'); no value holds control characters.
                    : values.ToString().Any(char.IsControl) ? $"{name} holds a control character."
                    : Checked.TryGetValue(name, out var kind) ? Problem(name, kind, values.ToString()) : null;
                if (problem is not null)
                {
                    failures.Add(new ValidationFailure(name, problem));
                }
            }

            if (failures.Count > 0)
            {
                throw new ValidationException(failures);
            }

            ServeHugePageSizesAsLarge(context);
        }

        return next(context);
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Endpoint, Dictionary<string, string>> BoundByEndpoint = new();

    private static readonly Dictionary<string, string> None = [];

    /// <summary>
    /// The endpoint's parameters that binding reads from the query, each by its name in any case: those of a simple type
    /// (text, a number, an id, a flag, an instant) that its route does not name. Read once per endpoint.
    /// </summary>
    private static Dictionary<string, string> Bound(Endpoint? endpoint) =>
        endpoint?.Metadata.GetMetadata<System.Reflection.MethodInfo>() is { } handler
            ? BoundByEndpoint.GetOrAdd(endpoint, e => handler.GetParameters()
                .Where(p => p.Name is not null && IsSimple(p.ParameterType) && (e as RouteEndpoint)?.RoutePattern.GetParameter(p.Name) is null)
                .ToDictionary(p => p.Name!, p => p.Name!, StringComparer.OrdinalIgnoreCase))
            : None;

    private static bool IsSimple(Type type)
    {
        var value = Nullable.GetUnderlyingType(type) ?? type;
        return value == typeof(string) || value.IsEnum || value.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IParsable<>));
    }

    /// <summary>
    /// SignalR answers a version it cannot read with a 200 whose body carries an <c>error</c>; the service answers
    /// it as the 400 any other unreadable query gets. Absent, the version is 0, as SignalR reads it.
    /// </summary>
    private static string? NegotiateVersionProblem(Microsoft.Extensions.Primitives.StringValues values) =>
        // Digits alone: int parsing would overlook a trailing NUL ('1%00'), as it would in an API query.
        values.Count == 1 && values.ToString() is var version && version.All(char.IsAsciiDigit) && int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out _)
            ? null
            : "negotiateVersion is a whole number from 0, given once (SignalR clients send 1).";

    /// <summary>Digits alone that <c>int</c> cannot hold: a whole number, just a very large one.</summary>
    private static bool IsBeyondInt(string value) =>
        value.Length > 0 && value.All(char.IsAsciiDigit) && !int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _);

    /// <summary>
    /// Binding reads <c>pageSize</c> as an <c>int</c>; one beyond its range is as much a larger page size as 1000 is, and
    /// is served as the largest page, as the list would serve 1000.
    /// </summary>
    private static void ServeHugePageSizesAsLarge(HttpContext context)
    {
        if (!context.Request.Query.TryGetValue("pageSize", out var pageSize) || !IsBeyondInt(pageSize.ToString()))
        {
            return;
        }

        var query = new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>(context.Request.Query, StringComparer.OrdinalIgnoreCase)
        {
            ["pageSize"] = CoSell.Application.Abstractions.PageRequest.MaximumPageSize.ToString(CultureInfo.InvariantCulture),
        };
        context.Request.Query = new QueryCollection(query);
    }

    /// <summary>The instants a query takes: a date (its midnight, UTC), or a date and time with an offset, Z, or neither (UTC).</summary>
    private static readonly string[] IsoInstants =
        ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    private static string? Problem(string name, Kind kind, string value) =>
        kind switch
        {
            Kind.Count when IsBeyondInt(value) => name == "pageSize"
                ? null
                : $"{name} is a whole number from 1 to {int.MaxValue}; a page past the last one is empty.",
            Kind.Count => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1
                ? null
                : $"{name} is a whole number from 1{(name == "pageSize" ? " (a page holds at most 100)" : string.Empty)}.",
            Kind.Id => Guid.TryParse(value, out _) ? null : $"{name} is an id (a GUID).",
            Kind.Place => Guid.TryParse(value, out _) || CoSell.Application.Abstractions.ListPlace.TryParseCursor(value, out _, out _)
                ? null
                : $"{name} is the list's next cursor, or the id (a GUID) of the last item read.",
            Kind.Flag => bool.TryParse(value, out _) ? null : $"{name} is true or false.",
            // ISO 8601 only: a lenient read takes 1/2/2026 as 2 January and 00:00 as today's midnight.
            _ => DateTimeOffset.TryParseExact(value, IsoInstants, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _) ? null : $"{name} is an instant (ISO 8601, e.g. 2026-11-01T00:00:00Z).",
        };
}
