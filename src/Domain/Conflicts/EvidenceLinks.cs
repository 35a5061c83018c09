using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;

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

        var rest = link.AsSpan();
        while (!rest.IsEmpty)
        {
            // Read by code point: a tag character outside the Basic Multilingual Plane is as invisible as a zero-width space.
            if (Rune.DecodeFromUtf16(rest, out var rune, out var used) != OperationStatus.Done
                || Rune.IsWhiteSpace(rune) || Rune.IsControl(rune)
                || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.OtherNotAssigned or UnicodeCategory.PrivateUse
                || IsBlank(rune.Value)
                || rune.Value is '\u2028' or '\u2029')
            {
                return false;
            }

            rest = rest[used..];
        }

        return Uri.TryCreate(link, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && uri.UserInfo.Length == 0
            && uri.HostNameType == UriHostNameType.Dns
            && !IPAddress.TryParse(uri.IdnHost, out _)
            && uri.IdnHost.Contains('.', StringComparison.Ordinal)
            && HostReadsAsWritten(link, uri);
    }

    /// <summary>
    /// The host as written separates its labels with ASCII dots only (an ideographic full stop, U+3002, is a dot to the
    /// browser: <c>example.com。elsewhere.example</c> goes to elsewhere.example), and no label passes for Latin in other
    /// letters (<c>аррӏе.com</c> in Cyrillic), whether written so or in its ASCII form (<c>xn--80ak6aa92e.com</c>).
    /// </summary>
    private static bool HostReadsAsWritten(string link, Uri uri)
    {
        var start = link.IndexOf("//", StringComparison.Ordinal) + 2;
        var end = link.IndexOfAny(['/', '?', '#', ':'], start);
        var written = end < 0 ? link[start..] : link[start..end];
        if (written.IndexOfAny(['\u3002', '\uFF0E', '\uFF61']) >= 0)
        {
            return false;
        }

        return !Customers.Identity.LatinLookalikes.HostPassesForLatin(uri.Host);
    }

    /// <summary>Letters and marks that show nothing: the combining grapheme joiner, variation selectors, Hangul fillers, the blank Braille pattern.</summary>
    private static bool IsBlank(int codePoint) =>
        codePoint is 0x034F or (>= 0xFE00 and <= 0xFE0F) or (>= 0xE0100 and <= 0xE01EF) or 0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x2800;
}
