using CoSell.Domain.Customers;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Partners;
using CoSell.Domain.Referrals;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CoSell.Application.Tests.Persistence;

/// <summary>
/// Value objects live in their owner's row as complex properties: what is stored must come back as it was, an absent
/// optional value as absent (not as a value with empty parts), and a value set later must reach the row.
/// </summary>
public sealed class ValueObjectStorageTests : SqliteStoreTest
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task AnOpportunity_WithoutContactDomainOrDuns_ComesBackWithoutThem_AndTakesAContactLater()
    {
        var id = Guid.NewGuid();
        await SaveAsync(db => db.Opportunities.Add(Opportunity.OpenDirect(
            id, Customer.Create("Plain Customer Ltd", null, "GB", null), null, Money.Of(12_500.50m, "GBP"), new DateOnly(2026, 6, 30), null, Guid.NewGuid(), "rep", Now)));

        var stored = await ReadAsync(db => db.Opportunities.SingleAsync(o => o.Id == id));
        stored.Contact.Should().BeNull();
        stored.Customer.Should().Be(Customer.Create("Plain Customer Ltd", null, "GB", null));
        stored.Customer.Domain.Should().BeNull();
        stored.Customer.Duns.Should().BeNull();
        stored.Amount.Should().Be(Money.Of(12_500.50m, "GBP"));
        (await ColumnAsync("opportunities", "contact_name", id)).Should().BeNull();
        (await ColumnAsync("opportunities", "customer_registrable_domain", id)).Should().BeNull();

        var contact = CustomerContact.Create("Casey Buyer", "casey@plain.example", "+44 20 7946 0000");
        await SaveAsync(async db => (await db.Opportunities.SingleAsync(o => o.Id == id)).UpdateContact(contact, "rep", Now.AddHours(1)));

        (await ReadAsync(db => db.Opportunities.SingleAsync(o => o.Id == id))).Contact.Should().Be(contact);
        (await ColumnAsync("opportunities", "contact_email", id)).Should().Be("casey@plain.example");
    }

    [Fact]
    public async Task AnOpportunity_WithTheWholeCustomer_KeepsEveryPart()
    {
        var id = Guid.NewGuid();
        var customer = Customer.Create("Contoso Ltd", "https://www.shop.contoso.co.uk/about", "GB", "150483782");
        await SaveAsync(db => db.Opportunities.Add(Opportunity.OpenDirect(
            id, customer, CustomerContact.Create("Dana Buyer", null, "+44 20 7946 0001"), Money.Of(1_000, "EUR"), new DateOnly(2026, 6, 30), "Call", Guid.NewGuid(), "rep", Now)));

        var stored = await ReadAsync(db => db.Opportunities.SingleAsync(o => o.Id == id));
        stored.Customer.Should().Be(customer);
        stored.Customer.Domain!.Registrable.Should().Be("contoso.co.uk");
        stored.Customer.Duns!.Value.Value.Should().Be("150483782");
        stored.Contact.Should().Be(CustomerContact.Create("Dana Buyer", null, "+44 20 7946 0001"));
        (await ColumnAsync("opportunities", "customer_domain", id)).Should().Be("shop.contoso.co.uk");
    }

    [Fact]
    public async Task AReferral_WithoutAnEstimatedValue_ComesBackWithout()
    {
        var (without, with) = (Guid.NewGuid(), Guid.NewGuid());
        var partner = Partner.Create(Guid.NewGuid(), "Northwind Systems", PartnerTier.Gold, ["US"], null, "system", Now);
        var rules = Domain.Rules.RulesOfEngagement.Defaults("system", Now);
        Referral Send(Guid id, Money? value) => Referral.Send(id, ReferralDirection.VendorToPartner, partner, "sender", Guid.NewGuid(),
            Customer.Create("Fabrikam Inc", "fabrikam.com", "US", null), CustomerContact.Create("Lee Buyer", "lee@fabrikam.com", null), ["Cloud"], value, null, rules, Now);
        await SaveAsync(db => db.Referrals.AddRange(Send(without, null), Send(with, Money.Of(0.01m, "USD"))));

        (await ReadAsync(db => db.Referrals.SingleAsync(r => r.Id == without))).EstimatedValue.Should().BeNull();
        (await ReadAsync(db => db.Referrals.SingleAsync(r => r.Id == with))).EstimatedValue.Should().Be(Money.Of(0.01m, "USD"));
    }

    private async Task<object?> ColumnAsync(string table, string column, Guid id) => await ReadAsync(async db =>
    {
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT \"{column}\" FROM \"{table}\" WHERE \"Id\" = $id";
        command.Parameters.AddWithValue("$id", id.ToString().ToUpperInvariant());
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    });
}
