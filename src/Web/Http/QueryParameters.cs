using System.Globalization;
using FluentValidation;
using FluentValidation.Results;

namespace CoSell.Web.Http;

/// <summary>
/// Checks the query parameters the lists share before the route binds them: a binding failure would otherwise be a
/// bare 400 that does not say which parameter was wrong. <c>page</c> and <c>pageSize</c> are whole numbers from 1 (a
/// page holds at most 100, and a larger page size, even one no <c>int</c> holds, is served as 100), <c>partnerId</c> is an id, <c>after</c> an id or a list's <c>next</c> cursor, <c>overdue</c>
/// and <c>all</c> are true or false, <c>from</c> and <c>to</c> are instants, and none of them is given twice. Names are
/// matched in any case, as binding does. Only the parameters the endpoint binds are checked: a route that reads no
/// page ignores <c>?page=0</c>, as it ignores any query it does not read, and its own checks (a role that may not
/// act) come first. A hub's negotiation (<c>/hubs/…/negotiate</c>) has its <c>negotiateVersion</c> checked the same way.
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

    private static readonly Dictionary<string, (string Name, Kind Kind)> Checked = new(StringComparer.OrdinalIgnoreCase)
    {
        ["page"] = ("page", Kind.Count),
        ["pageSize"] = ("pageSize", Kind.Count),
        ["partnerId"] = ("partnerId", Kind.Id),
        ["after"] = ("after", Kind.Place),
        ["overdue"] = ("overdue", Kind.Flag),
        ["all"] = ("all", Kind.Flag),
        ["from"] = ("from", Kind.Instant),
        ["to"] = ("to", Kind.Instant),
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
                if (Checked.TryGetValue(key, out var parameter) && binds.Contains(parameter.Name) && Problem(parameter.Name, parameter.Kind, values) is { } problem)
                {
                    failures.Add(new ValidationFailure(parameter.Name, problem));
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

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<System.Reflection.MethodInfo, HashSet<string>> BoundByHandler = new();

    private static readonly HashSet<string> None = [];

    /// <summary>The names of the endpoint's handler's parameters, which are what binding reads from the query; read once per handler.</summary>
    private static HashSet<string> Bound(Endpoint? endpoint) =>
        endpoint?.Metadata.GetMetadata<System.Reflection.MethodInfo>() is { } handler
            ? BoundByHandler.GetOrAdd(handler, h => h.GetParameters().Select(p => p.Name).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase))
            : None;

    /// <summary>
    /// SignalR answers a version it cannot read with a 200 whose body carries an <c>error</c>; the service answers
    /// it as the 400 any other unreadable query gets. Absent, the version is 0, as SignalR reads it.
    /// </summary>
    private static string? NegotiateVersionProblem(Microsoft.Extensions.Primitives.StringValues values) =>
        values.Count == 1 && int.TryParse(values.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out _)
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

    private static string? Problem(string name, Kind kind, Microsoft.Extensions.Primitives.StringValues values)
    {
        if (values.Count > 1)
        {
            return $"Give {name} once.";
        }

        var value = values.ToString();
        return kind switch
        {
            Kind.Count when IsBeyondInt(value) => name == "pageSize"
                ? null
                : $"{name} is a whole number from 1 to {int.MaxValue}; a page past the last one is empty.",
            Kind.Count => int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= 1
                ? null
                : $"{name} is a whole number from 1{(name == "pageSize" ? " (a page holds at most 100)" : string.Empty)}.",
            Kind.Id => Guid.TryParse(value, out _) ? null : $"{name} is an id (a GUID).",
            Kind.Place => Guid.TryParse(value, out _) || CoSell.Application.Abstractions.ListPlace.TryParseCursor(value, out _)
                ? null
                : $"{name} is the list's next cursor, or the id (a GUID) of the last item read.",
            Kind.Flag => bool.TryParse(value, out _) ? null : $"{name} is true or false.",
            _ => DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _) ? null : $"{name} is an instant (ISO 8601, e.g. 2026-11-01T00:00:00Z).",
        };
    }
}
