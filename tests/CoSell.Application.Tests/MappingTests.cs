using CoSell.Application.Partners;
using CoSell.Application.Registrations;
using CoSell.Application.RulesOfEngagement;
using CoSell.Domain.Customers;
using CoSell.Domain.Partners;
using CoSell.Domain.Registrations;
using Mapster;

namespace CoSell.Application.Tests;

public sealed class MappingTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void EveryMapping_CompilesWithEveryDestinationMemberFromASource() =>
        FluentActions.Invoking(ApplicationParts.CreateMappings).Should().NotThrow();

    [Fact]
    public void Registration_MapsEveryFieldAPersonReads()
    {
        var config = ApplicationParts.CreateMappings();
        var partner = Partner.Create(Guid.NewGuid(), "Northwind", PartnerTier.Gold, ["US"], Guid.NewGuid(), "admin", Now);
        var rules = Domain.Rules.RulesOfEngagement.Defaults("system", Now);
        var registration = DealRegistration.Draft(Guid.NewGuid(), partner.Id, "u1", Customer.Create("Acme Corp", "https://acme.com", "us", "123456789"), ["Cloud"], Money.Of(99_000, "USD"), DateOnly.FromDateTime(Now.UtcDateTime).AddDays(9), "n", Now);
        registration.Submit(partner, rules, new DuplicateAssessment(DuplicateVerdict.Possible, 0.7, ["names alike"]), "u1", Now);

        var dto = registration.Adapt<RegistrationDto>(config);

        dto.Id.Should().Be(registration.Id);
        dto.Status.Should().Be(RegistrationStatus.Submitted);
        dto.Customer.Should().Be(new CustomerDto("Acme Corp", "acme.com", "acme.com", "US", "123456789"));
        dto.EstimatedValue.Should().Be(new MoneyDto(99_000, "USD"));
        dto.ProductLines.Should().Equal("Cloud");
        dto.Tier.Should().Be(PartnerTier.Gold);
        dto.RulesVersion.Should().Be(1);
        dto.ReviewDueAt.Should().Be(Now.AddHours(48));
        dto.Duplicate.Should().BeEquivalentTo(new DuplicateDto(DuplicateVerdict.Possible, 0.7, ["names alike"]));
        dto.Version.Should().Be(registration.Version);
    }

    [Fact]
    public void RulesAndPartners_Map()
    {
        var config = ApplicationParts.CreateMappings();
        var rules = Domain.Rules.RulesOfEngagement.Defaults("system", Now).Adapt<RulesDto>(config);
        rules.Tiers.Should().HaveCount(4);
        rules.Explanation.Should().NotBeEmpty();
        var partner = Partner.Create(Guid.NewGuid(), "Fabrikam", PartnerTier.Silver, ["de", "AT"], null, "admin", Now).Adapt<PartnerDto>(config);
        partner.Territories.Should().Equal("AT", "DE");
        partner.Tier.Should().Be(PartnerTier.Silver);
    }
}
