using System.Globalization;
using CoSell.Application.Abstractions;

namespace CoSell.Web.Http;

/// <summary>The ETag of a resource is its version: <c>"7"</c>.</summary>
public static class ETags
{
    public static string Format(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>The version named by If-Match; null when the header is absent or <c>*</c>; -1 when it names nothing we issued.</summary>
    public static long? ParseIfMatch(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0 || header == "*")
        {
            return null;
        }

        // If-Match compares strongly (RFC 9110 13.1.1): a weak tag never matches, so it names nothing we issued.
        var first = header.Split(',')[0].Trim();
        return first.Length > 2 && first[0] == '"' && first[^1] == '"' &&
            long.TryParse(first.AsSpan(1, first.Length - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : -1;
    }

    public static void Set(HttpResponse response, long version) => response.Headers.ETag = Format(version);
}

/// <summary>
/// Answers a stale If-Match with 412 and the current ETag, so the caller can re-read and retry. It cannot be
/// left to the exception handler: ASP.NET Core's exception middleware strips ETag from every response it writes.
/// </summary>
public sealed class StaleETagFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (PreconditionFailedException stale)
        {
            ETags.Set(context.HttpContext.Response, stale.CurrentVersion);
            return TypedResults.Problem(ProblemExceptionHandler.Map(stale));
        }
    }
}
