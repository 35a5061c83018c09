namespace CoSell.Domain.AccountMapping;

/// <summary>
/// The keyed hashes an account is matched by: of its registrable domain, its DUNS number, and its name key
/// with its country. Zero means the identifier is absent. Equal tokens mean equal normalised identifiers;
/// without the key nobody can compute a token, so a token alone names no company.
/// </summary>
public readonly record struct AccountTokens(UInt128 Domain, UInt128 Duns, UInt128 NameCountry)
{
    public bool IsEmpty => Domain == UInt128.Zero && Duns == UInt128.Zero && NameCountry == UInt128.Zero;
}

/// <summary>Turns normalised identifiers into tokens under a secret key; implemented outside the domain.</summary>
public interface IAccountKeyer
{
    /// <summary>Names the key without revealing it, so a change of key can be noticed and the tokens re-keyed.</summary>
    string Fingerprint { get; }

    /// <param name="registrableDomain">The company domain from the normaliser, or null.</param>
    /// <param name="duns">Nine digits, or null.</param>
    /// <param name="nameKey">The normaliser's name key; empty when the name has none.</param>
    /// <param name="country">ISO 3166-1 alpha-2, upper case, or null.</param>
    AccountTokens Tokenise(string? registrableDomain, string? duns, string nameKey, string? country);
}
