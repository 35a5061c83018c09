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
            && uri.IdnHost.Contains('.', StringComparison.Ordinal);
    }
}
