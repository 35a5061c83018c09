using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using CoSell.Domain.Customers.Identity;
using CoSell.Domain.SeedWork;

namespace CoSell.Domain.Customers;

/// <summary>
/// A company's web domain, taken from a bare domain, a URL or an e-mail address and folded to
/// lower-case ASCII (IDNs become punycode). <see cref="Registrable"/> is the part a company registers.
/// </summary>
public sealed record WebDomain
{
    private static readonly IdnMapping Idn = new() { AllowUnassigned = false, UseStd3AsciiRules = true };
    private static readonly char[] FullStops = ['.', '\u3002', '\uFF0E', '\uFF61'];
    private static readonly SearchValues<char> AfterAuthority = SearchValues.Create("/?#\\");
    private static readonly SearchValues<char> SchemeCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");

    private WebDomain(string host, string registrable)
    {
        Host = host;
        Registrable = registrable;
    }

    private WebDomain(string host, string registrable, bool pageOnSharedPlatform)
        : this(host, registrable) => IsPageOnSharedPlatform = pageOnSharedPlatform;

    /// <summary>The full host name, without a leading <c>www.</c> (unless that is the registered label itself, as in <c>www.com</c>).</summary>
    public string Host { get; }

    /// <summary>The registrable domain (public suffix plus one label).</summary>
    public string Registrable { get; }

    /// <summary>
    /// Whether the address read was a page or site on a shared platform (<c>facebook.com/acme</c>,
    /// <c>acme.wordpress.com</c>, <see cref="SharedPlatforms"/>): the platform's domain, not the company's, so a customer
    /// keeps no domain from it. Never stored: a customer's domain is never such a page.
    /// </summary>
    public bool IsPageOnSharedPlatform { get; }

    /// <summary>
    /// Reads a web domain from a bare domain, a URL or an e-mail address. The registrable part comes
    /// from <paramref name="resolver"/>, by default the embedded Public Suffix List.
    /// </summary>
    public static WebDomain From(string? input, IRegistrableDomainResolver? resolver = null) =>
        TryFrom(input, resolver, out var domain, out var problem) ? domain : throw Invalid(input, problem);

    /// <summary>Like <see cref="From"/>, without throwing: for bulk input where a bad domain is just left out.</summary>
    public static bool TryFrom(string? input, IRegistrableDomainResolver? resolver, [NotNullWhen(true)] out WebDomain? domain) =>
        TryFrom(input, resolver, out domain, out _);

    private static bool TryFrom(string? input, IRegistrableDomainResolver? resolver, [NotNullWhen(true)] out WebDomain? domain, out string problem)
    {
        domain = null;
        if (!TryExtractHost(input, out var host, out var namesAPage, out var mailbox, out problem))
        {
            return false;
        }

        resolver ??= PublicSuffixList.Default;
        var registrable = resolver.Resolve(host);
        if (registrable is null)
        {
            problem = "it is a public suffix, not a company's domain";
            return false;
        }

        // A free-mail service on a host under its company's own domain (i.softbank.jp under softbank.jp) is read as
        // registrable itself, as the list names it: its mailboxes are the service's users, never the company.
        registrable = Identity.FreeMailDomains.ServiceHostOf(host, registrable) ?? registrable;

        // A label in letters of another script that pass for Latin ones (аcme.com with a Cyrillic а) names another domain
        // than the one it shows, and would dodge the match on the one it shows; only an IDN label (xn--) can hold one.
        if (host.Contains("xn--", StringComparison.Ordinal) && LatinLookalikes.HostPassesForLatin(host))
        {
            problem = "a label of it is written in letters of another script that pass for Latin ones, so it names another domain than the one it shows";
            return false;
        }

        // "www." names the company's web server, not another host, unless it is the label the company registered (www.com).
        if (host.StartsWith("www.", StringComparison.Ordinal) && host.Length - 4 >= registrable.Length)
        {
            host = host[4..];
        }

        domain = new WebDomain(host, registrable, mailbox ? SharedPlatforms.IsTenant(host) : SharedPlatforms.IsPage(host, registrable, namesAPage));
        return true;
    }

    /// <summary>
    /// Whether <paramref name="host"/> is, whole, a host name on the internet: two labels or more of letters, digits and
    /// inner hyphens, each at most 63 long, not an IP address, nothing after it.
    /// </summary>
    internal static bool IsHostName(string host) =>
        host.IndexOfAny(['/', '?', '#', ':', '@', '[', ']', '\\']) < 0 && !host.EndsWith('.') && !IPAddress.TryParse(host, out _) && TryAscii(host, out _);

    /// <summary>
    /// The host of an address in lower-case ASCII; <paramref name="namesAPage"/> tells whether a path or a query follows
    /// it, <paramref name="mailbox"/> whether it is an e-mail address's.
    /// </summary>
    private static bool TryExtractHost(string? input, [NotNullWhen(true)] out string? host, out bool namesAPage, out bool mailbox, out string problem)
    {
        host = null;
        namesAPage = false;
        mailbox = false;
        problem = "it is not a valid host name";
        if (string.IsNullOrWhiteSpace(input) || input.Length > 2048)
        {
            problem = "it is empty or too long";
            return false;
        }

        var text = input.Trim();
        if (StartsWithScheme(text))
        {
            // A URL's host is its own: a user name before it, or an @ in its path, query or fragment, names no other.
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.HostNameType is not (UriHostNameType.Dns or UriHostNameType.Unknown))
            {
                problem = "it is not a URL with a host name";
                return false;
            }

            // Read from the text the URL was parsed from, without making its components into strings: what follows the
            // authority (which holds no / ? # \) is its path, query and fragment.
            var authority = text.IndexOf("://", StringComparison.Ordinal) + 3;
            var rest = text.AsSpan(authority).IndexOfAny(AfterAuthority);
            namesAPage = rest >= 0 && NamesAPage(text.AsSpan(authority + rest));
            text = uri.IdnHost;
        }
        else
        {
            // A host, a host with a path, or an e-mail address (mailto: included): what comes before any path, query or
            // fragment, after its last @ and before a port.
            var end = text.IndexOfAny(['/', '?', '#']);
            var at = text.LastIndexOf('@');
            if (end >= 0 && at > end && text.AsSpan(at + 1).IndexOfAny('/', '?', '#') < 0 && !IsHostName(text[..end]))
            {
                // An e-mail address whose user part holds a / ? or # (RFC 5322 allows them), not a host with a path.
                end = -1;
            }

            if (end >= 0)
            {
                namesAPage = NamesAPage(text.AsSpan(end));
                text = text[..end];
            }

            mailbox = text.Contains('@', StringComparison.Ordinal);
            text = text[(text.LastIndexOf('@') + 1)..];
            var port = text.IndexOf(':', StringComparison.Ordinal);
            if (port >= 0)
            {
                text = text[..port];
            }
        }

        // A trailing full stop ends a fully qualified name; the ideographic and full-width ones are dots to the IDN mapping too.
        text = text.TrimEnd(FullStops);
        if (IPAddress.TryParse(text.Trim('[', ']'), out _))
        {
            problem = "an IP address is not a company domain";
            return false;
        }

        if (!TryAscii(text, out var ascii))
        {
            return false;
        }

        host = ascii;
        return true;
    }

    /// <summary>
    /// Whether what follows a host (from its <c>/</c>, <c>?</c> or <c>#</c>) holds a path or a query; a fragment alone is
    /// not read, nor are the slashes of an empty path.
    /// </summary>
    private static bool NamesAPage(ReadOnlySpan<char> rest)
    {
        var fragment = rest.IndexOf('#');
        if (fragment >= 0)
        {
            rest = rest[..fragment];
        }

        var query = rest.IndexOf('?');
        var path = query < 0 ? rest : rest[..query];
        return path.Trim("/\\").Length > 0 || (query >= 0 && query + 1 < rest.Length);
    }

    /// <summary>Whether the text opens with a URL scheme and <c>://</c> (RFC 3986: a letter, then letters, digits, <c>+ - .</c>).</summary>
    private static bool StartsWithScheme(string text)
    {
        var colon = text.IndexOf("://", StringComparison.Ordinal);
        return colon > 0 && char.IsAsciiLetter(text[0]) && !text.AsSpan(0, colon).ContainsAnyExcept(SchemeCharacters);
    }

    /// <summary>The host in lower-case ASCII (IDN labels as punycode), when it is two labels or more a DNS name can have.</summary>
    private static bool TryAscii(string text, [NotNullWhen(true)] out string? ascii)
    {
        ascii = null;
        string mapped;
        try
        {
            mapped = Idn.GetAscii(text).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return false;
        }

        var labels = mapped.Split('.');
        if (mapped.Length > 253 || labels.Length < 2 || labels.Any(l => l.Length is 0 or > 63) || labels[^1].All(char.IsAsciiDigit))
        {
            return false;
        }

        ascii = mapped;
        return true;
    }

    private static DomainValidationException Invalid(string? input, string why) =>
        new("customer.domain_invalid", "domain", $"'{Characters.Shown(input)}' is not a usable web domain: {why}.");

    public override string ToString() => Host;
}

/// <summary>Finds the registrable domain of a host, or null when the host is itself a public suffix.</summary>
public interface IRegistrableDomainResolver
{
    string? Resolve(string host);
}

/// <summary>Takes the last two labels; a stand-in where no public suffix list is loaded.</summary>
public sealed class NaiveRegistrableDomainResolver : IRegistrableDomainResolver
{
    public static readonly NaiveRegistrableDomainResolver Instance = new();

    public string? Resolve(string host)
    {
        var lastDot = host.LastIndexOf('.');
        var secondDot = lastDot <= 0 ? -1 : host.LastIndexOf('.', lastDot - 1);
        return secondDot < 0 ? host : host[(secondDot + 1)..];
    }
}
