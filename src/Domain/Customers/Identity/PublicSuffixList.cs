using System.Globalization;
using System.Text;

namespace CoSell.Domain.Customers.Identity;

/// <summary>
/// Finds the registrable domain of a host with the Public Suffix List (publicsuffix.org): normal,
/// wildcard (<c>*.ck</c>) and exception (<c>!www.ck</c>) rules from both the ICANN and the private
/// sections, and the implicit <c>*</c> rule for unlisted top-level domains.
/// </summary>
public sealed class PublicSuffixList : IRegistrableDomainResolver
{
    private const string ResourceName = "CoSell.Domain.Customers.Identity.public_suffix_list.dat";

    private static readonly Lazy<PublicSuffixList> Embedded = new(LoadEmbedded, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _rules;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _wildcards;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _exceptions;

    private PublicSuffixList(HashSet<string> rules, HashSet<string> wildcards, HashSet<string> exceptions)
    {
        _rules = rules.GetAlternateLookup<ReadOnlySpan<char>>();
        _wildcards = wildcards.GetAlternateLookup<ReadOnlySpan<char>>();
        _exceptions = exceptions.GetAlternateLookup<ReadOnlySpan<char>>();
        RuleCount = rules.Count + wildcards.Count + exceptions.Count;
    }

    /// <summary>The list shipped inside this assembly, read on first use.</summary>
    public static PublicSuffixList Default => Embedded.Value;

    public int RuleCount { get; }

    /// <summary>Reads a list in the publicsuffix.org text format.</summary>
    public static PublicSuffixList Parse(TextReader reader)
    {
        var rules = new HashSet<string>(StringComparer.Ordinal);
        var wildcards = new HashSet<string>(StringComparer.Ordinal);
        var exceptions = new HashSet<string>(StringComparer.Ordinal);
        var idn = new IdnMapping();

        while (reader.ReadLine() is { } line)
        {
            // A rule is the first whitespace-delimited word of a line; comments start with "//".
            var text = line.AsSpan().Trim();
            var space = text.IndexOfAny(' ', '\t');
            if (space >= 0)
            {
                text = text[..space];
            }

            if (text.IsEmpty || text.StartsWith("//"))
            {
                continue;
            }

            var target = rules;
            if (text[0] == '!')
            {
                target = exceptions;
                text = text[1..];
            }
            else if (text.StartsWith("*."))
            {
                target = wildcards;
                text = text[2..];
            }

            if (ToAscii(text, idn) is { } ascii)
            {
                target.Add(ascii);
            }
        }

        return new PublicSuffixList(rules, wildcards, exceptions);
    }

    public static PublicSuffixList Parse(string text)
    {
        using var reader = new StringReader(text);
        return Parse(reader);
    }

    /// <summary>The registrable domain (public suffix plus one label), or null when the host is itself a public suffix.</summary>
    public string? Resolve(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var name = host.AsSpan().TrimEnd('.');
        if (name.IsEmpty || name[0] == '.' || name.Contains("..", StringComparison.Ordinal))
        {
            return null;
        }

        var lower = ToAscii(name, new IdnMapping());
        if (lower is null)
        {
            return null;
        }

        var suffixLabels = PublicSuffixLabelCount(lower);
        var labels = lower.AsSpan().Count('.') + 1;
        if (labels <= suffixLabels)
        {
            return null;
        }

        return lower[StartOfLastLabels(lower, suffixLabels + 1)..];
    }

    /// <summary>
    /// Whether a suffix (in ASCII) is one a rule of the list names, rather than one only the implicit <c>*</c> rule makes
    /// of any last label (<c>xn--om-nmc</c>, a made-up "сom") or a wildcard makes of whatever label stands for it.
    /// </summary>
    public bool Lists(string suffix)
    {
        ArgumentNullException.ThrowIfNull(suffix);
        return _rules.Contains(suffix);
    }

    /// <summary>The public suffix of a host (e.g. <c>co.uk</c> for <c>shop.acme.co.uk</c>).</summary>
    public string PublicSuffix(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var lower = host.TrimEnd('.').ToLowerInvariant();
        var count = Math.Min(PublicSuffixLabelCount(lower), lower.AsSpan().Count('.') + 1);
        return lower[StartOfLastLabels(lower, count)..];
    }

    private int PublicSuffixLabelCount(string host)
    {
        var span = host.AsSpan();
        var labels = span.Count('.') + 1;
        var longest = 1; // the implicit "*" rule
        var start = span.Length;
        for (var k = 1; k <= labels; k++)
        {
            start = start == 0 ? 0 : span[..(start - 1)].LastIndexOf('.') + 1;
            var candidate = span[start..];
            if (_exceptions.Contains(candidate))
            {
                // An exception rule wins over every other rule and makes its parent the suffix.
                return k - 1;
            }

            if (_rules.Contains(candidate))
            {
                longest = Math.Max(longest, k);
            }

            if (k < labels && _wildcards.Contains(candidate))
            {
                longest = Math.Max(longest, k + 1);
            }
        }

        return longest;
    }

    private static int StartOfLastLabels(ReadOnlySpan<char> host, int count)
    {
        var seen = 0;
        for (var i = host.Length - 1; i >= 0; i--)
        {
            if (host[i] == '.' && ++seen == count)
            {
                return i + 1;
            }
        }

        return 0;
    }

    private static string? ToAscii(ReadOnlySpan<char> rule, IdnMapping idn)
    {
        var text = rule.ToString();
        if (Ascii.IsValid(text))
        {
            return text.ToLowerInvariant();
        }

        try
        {
            return idn.GetAscii(text).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static PublicSuffixList LoadEmbedded()
    {
        using var stream = typeof(PublicSuffixList).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from {typeof(PublicSuffixList).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        return Parse(reader);
    }
}
