namespace CoSell.Domain.Customers.Identity;

/// <summary>
/// A customer reduced to the identifiers that decide whether two claims are about the same company:
/// a folded name key, the company's registrable web domain, its DUNS number and its country.
/// </summary>
public sealed record NormalisedCustomer
{
    private readonly string[] _tokens;

    public NormalisedCustomer(string nameKey, string? registrableDomain, string? duns, string? country)
    {
        ArgumentNullException.ThrowIfNull(nameKey);
        if (nameKey.Length > CustomerNormaliser.MaximumKeyLength || !IsKey(nameKey))
        {
            throw new ArgumentException("A name key is lower-case ASCII letters and digits in tokens joined by single spaces.", nameof(nameKey));
        }

        if (registrableDomain is not null && (registrableDomain.Length is 0 or > 253 || !IsDomain(registrableDomain)))
        {
            throw new ArgumentException("A registrable domain is lower-case ASCII (punycode for IDNs).", nameof(registrableDomain));
        }

        if (duns is not null && (duns.Length != 9 || !duns.All(char.IsAsciiDigit)))
        {
            throw new ArgumentException("A DUNS number has nine digits.", nameof(duns));
        }

        if (country is not null && (country.Length != 2 || !country.All(char.IsAsciiLetterUpper)))
        {
            throw new ArgumentException("A country is an upper-case ISO 3166-1 alpha-2 code.", nameof(country));
        }

        NameKey = nameKey;
        RegistrableDomain = registrableDomain;
        Duns = duns;
        Country = country;
        _tokens = nameKey.Length == 0 ? [] : nameKey.Split(' ');
    }

    /// <summary>The name folded to ASCII, without legal forms or leading articles, tokens joined by single spaces.</summary>
    public string NameKey { get; }

    public IReadOnlyList<string> NameTokens => _tokens;

    /// <summary>The company's registrable domain; null when none was given or it is a free-mail provider's.</summary>
    public string? RegistrableDomain { get; }

    /// <summary>Nine digits, or null.</summary>
    public string? Duns { get; }

    /// <summary>ISO 3166-1 alpha-2, or null when unknown.</summary>
    public string? Country { get; }

    public bool Equals(NormalisedCustomer? other) =>
        other is not null && NameKey == other.NameKey && RegistrableDomain == other.RegistrableDomain && Duns == other.Duns && Country == other.Country;

    public override int GetHashCode() => HashCode.Combine(NameKey, RegistrableDomain, Duns, Country);

    public override string ToString() =>
        $"{NameKey} ({Country ?? "??"}{(RegistrableDomain is null ? "" : ", " + RegistrableDomain)}{(Duns is null ? "" : ", DUNS " + Duns)})";

    private static bool IsKey(string key)
    {
        if (key.Length == 0)
        {
            return true;
        }

        if (key[0] == ' ' || key[^1] == ' ' || key.Contains("  ", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in key)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == ' '))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDomain(string domain)
    {
        foreach (var c in domain)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
