using System.Net;
using CoSell.Domain.SeedWork;

namespace CoSell.Domain.Conflicts;

/// <summary>
/// What an evidence link on a case may be: a link a reader can trust to go where it reads. An absolute http(s) URL
/// of at most 2,048 characters, naming its site by a domain name, written without white space, control characters
/// or invisible format characters (a direction control would show <c>…/‮fdp.exe</c> as <c>…/exe.pdf</c>; a zero-width
/// space would hide inside a host), and without a user name or password before the host
/// (<c>https://trusted.example@elsewhere.example/</c> goes to elsewhere.example).
/// </summary>
public static class EvidenceLinks
{
    public const int MaximumLength = 2048;

    public const string Rule =
        "Evidence links are absolute http(s) URLs of at most 2048 characters that name their site by a domain name, " +
        "without spaces, control or invisible characters, or a user name before the host.";

    public static bool IsValid(string? link)
    {
        if (string.IsNullOrEmpty(link) || link.Length > MaximumLength)
        {
            return false;
        }

        if (!Characters.IsOneVisibleRun(link))
        {
            return false;
        }

        try
        {
            return Uri.TryCreate(link, UriKind.Absolute, out var uri)
                && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
                && uri.UserInfo.Length == 0
                && uri.HostNameType == UriHostNameType.Dns
                && !IPAddress.TryParse(uri.IdnHost, out _)
                && !EndsInANumber(uri.IdnHost)
                && uri.IdnHost.Contains('.', StringComparison.Ordinal)
                && HostReadsAsWritten(link, uri);
        }
        catch (UriFormatException)
        {
            // A host Uri takes but cannot write in ASCII (a one-dot leader, U+2024, inside it): no domain name.
            return false;
        }
    }

    /// <summary>
    /// Whether a browser reads <paramref name="host"/> as an IPv4 address, as the URL standard does a host whose last
    /// label, after one trailing dot, is a number: decimal digits, or <c>0x</c> and hex digits. <c>127.0.0.1.</c> is
    /// 127.0.0.1, <c>1.1.</c> is 1.0.0.1 and <c>0.</c> is 0.0.0.0, though <see cref="Uri"/> calls each a DNS name.
    /// </summary>
    private static bool EndsInANumber(string host)
    {
        var labels = host.Split('.');
        var last = labels[^1].Length == 0 && labels.Length > 1 ? labels[^2] : labels[^1];
        return last.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? last[2..].All(char.IsAsciiHexDigit)
            : last.Length > 0 && last.All(char.IsAsciiDigit);
    }

    /// <summary>
    /// The host as written separates its labels with ASCII dots only (an ideographic full stop, U+3002, is a dot to the
    /// browser: <c>example.com。elsewhere.example</c> goes to elsewhere.example), and no label passes for Latin in other
    /// letters (<c>аррӏе.com</c> in Cyrillic), whether written so or in its ASCII form (<c>xn--80ak6aa92e.com</c>).
    /// </summary>
    private static bool HostReadsAsWritten(string link, Uri uri)
    {
        // The host starts after the scheme and the slashes, which Uri takes backwards too (http:\\example.com).
        var start = link.IndexOf(':', StringComparison.Ordinal) + 1;
        while (start < link.Length && link[start] is '/' or '\\')
        {
            start++;
        }

        var end = link.IndexOfAny(['/', '\\', '?', '#', ':'], start);
        var written = end < 0 ? link[start..] : link[start..end];
        if (Characters.HasOtherDots(written))
        {
            return false;
        }

        return !Customers.Identity.LatinLookalikes.HostPassesForLatin(uri.Host);
    }

}
