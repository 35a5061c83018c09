using CoSell.Domain.Customers;
using CoSell.Domain.Partners;
using CoSell.Domain.Rules;

namespace CoSell.Domain.Tests;

/// <summary>Builders for the aggregates the domain tests need.</summary>
internal static class TestData
{
    public static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    public static readonly Guid Rep = Guid.Parse("00000000-0000-0000-0000-0000000000d1");

    public static RulesOfEngagement Rules => RulesOfEngagement.Defaults("system", Now);

    public static Partner Partner(string name = "Northwind Systems") =>
        Domain.Partners.Partner.Create(Guid.NewGuid(), name, PartnerTier.Gold, ["US"], null, "system", Now);

    public static Customer Customer(string domain = "contoso.com") => Domain.Customers.Customer.Create("Contoso Ltd", domain, "US", null);

    public static CustomerContact Contact => CustomerContact.Create("Dana Buyer", "dana@contoso.com", null);

    public static Money Usd(decimal amount) => Money.Of(amount, "USD");

    public static DateOnly InDays(int days) => DateOnly.FromDateTime(Now.UtcDateTime).AddDays(days);
}
