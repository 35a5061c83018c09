using System.Globalization;
using CoSell.Application.Abstractions;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace CoSell.Web.Http;

/// <summary>The ETag of a resource is its version: <c>"7"</c>.</summary>
public static class ETags
{
    public static string Format(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>
    /// The versions If-Match names; null when the header is absent or <c>*</c>. Every strong tag of the list counts
    /// (RFC 9110 13.1.1); a weak tag never matches, and neither does a tag this service did not issue or a header that
    /// does not parse, so those name no version.
    /// </summary>
    public static IfMatch? ParseIfMatch(HttpRequest request)
    {
        if (StringValues.IsNullOrEmpty(request.Headers.IfMatch) || string.IsNullOrWhiteSpace(request.Headers.IfMatch.ToString()))
        {
            return null;
        }

        var tags = request.GetTypedHeaders().IfMatch;
        if (tags.Count == 1 && tags[0].Equals(EntityTagHeaderValue.Any))
        {
            return null;
        }

        var versions = new List<long>(tags.Count);
        foreach (var tag in tags)
        {
            var quoted = tag.Tag.AsSpan();
            if (!tag.IsWeak && quoted.Length > 2 &&
                long.TryParse(quoted[1..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                versions.Add(version);
            }
        }

        return IfMatch.Of(versions);
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
