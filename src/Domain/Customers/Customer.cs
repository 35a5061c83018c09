namespace CoSell.Domain.Customers;

/// <summary>The customer a claim is about.</summary>
public sealed record Customer(CompanyName Name, WebDomain? Domain, CountryCode Country, Duns? Duns)
{
    // For materialisation by persistence only.
    private Customer()
        : this(null!, null, default, null)
    {
    }

    /// <summary>
    /// A customer from what a user gave: a domain that is a page or site on a shared platform (facebook.com/acme) is no
    /// domain of the company's, and the customer keeps none.
    /// </summary>
    public static Customer Create(string? name, string? domain, string? country, string? duns, IRegistrableDomainResolver? resolver = null) =>
        new(
            CompanyName.From(name),
            string.IsNullOrWhiteSpace(domain) ? null : WebDomain.From(domain, resolver) is { IsPageOnSharedPlatform: false } web ? web : null,
            CountryCode.From(country),
            string.IsNullOrWhiteSpace(duns) ? null : Customers.Duns.From(duns));
}
