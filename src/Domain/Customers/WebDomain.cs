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
    private static readonly SearchValues<char> SchemeCharacters = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");

    private WebDomain(string host, string registrable)
    {
        Host = host;
        Registrable = registrable;
    }

    /// <summary>The full host name, without a leading <c>www.</c> (unless that is the registered label itself, as in <c>www.com</c>).</summary>
    public string Host { get; }

    /// <summary>The registrable domain (public suffix plus one label).</summary>
    public string Registrable { get; }

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
        if (!TryExtractHost(input, out var host, out problem))
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

        // "www." names the company's web server, not another host, unless it is the label the company registered (www.com).
        if (host.StartsWith("www.", StringComparison.Ordinal) && host.Length - 4 >= registrable.Length)
        {
            host = host[4..];
        }

        domain = new WebDomain(host, registrable);
        return true;
    }

    /// <summary>
    /// Whether <paramref name="host"/> is, whole, a host name on the internet: two labels or more of letters, digits and
    /// inner hyphens, each at most 63 long, not an IP address, nothing after it.
    /// </summary>
    internal static bool IsHostName(string host) =>
        host.IndexOfAny(['/', '?', '#', ':', '@', '[', ']', '\\']) < 0 && !host.EndsWith('.') && !IPAddress.TryParse(host, out _) && TryAscii(host, out _);

    private static bool TryExtractHost(string? input, [NotNullWhen(true)] out string? host, out string problem)
    {
        host = null;
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
                text = text[..end];
            }

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
        new("customer.domain_invalid", "domain", $"'{CountryCode.Truncate(input)}' is not a usable web domain: {why}.");

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
