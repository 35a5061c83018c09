using System.Globalization;

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

        var first = header.Split(',')[0].Trim();
        if (first.StartsWith("W/", StringComparison.Ordinal))
        {
            first = first[2..];
        }

        return long.TryParse(first.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : -1;
    }

    public static void Set(HttpResponse response, long version) => response.Headers.ETag = Format(version);
}
