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
        var manager = Guid.NewGuid();
        var partner = Partner.Create(Guid.NewGuid(), "Northwind", PartnerTier.Gold, ["US"], manager, "admin", Now);
        var rules = Domain.Rules.RulesOfEngagement.Defaults("system", Now);
        var submittedAt = Now.AddHours(3);
        var registration = DealRegistration.Draft(Guid.NewGuid(), partner.Id, "u1", Customer.Create("Acme Corp", "https://acme.com", "us", "123456789"), ["Cloud"], Money.Of(99_000, "USD"), DateOnly.FromDateTime(Now.UtcDateTime).AddDays(9), "n", Now);
        registration.Submit(partner, rules, new DuplicateAssessment(DuplicateVerdict.Possible, 0.7, ["names alike"]), "u1", submittedAt);

        var dto = registration.Adapt<RegistrationDto>(config);

        // Every member, each from its own distinct value: a member left out, swapped with another or taken from the wrong
        // field fails here.
        dto.Should().BeEquivalentTo(new RegistrationDto(
            registration.Id,
            partner.Id,
            "u1",
            RegistrationStatus.Submitted,
            new CustomerDto("Acme Corp", "acme.com", "acme.com", "US", "123456789"),
            ["Cloud"],
            new MoneyDto(99_000, "USD"),
            DateOnly.FromDateTime(Now.UtcDateTime).AddDays(9),
            "n",
            1,
            PartnerTier.Gold,
            manager,
            Now,
            submittedAt,
            submittedAt,
            submittedAt.AddHours(48),
            null,
            null,
            0,
            null,
            null,
            null,
            null,
            false,
            new DuplicateDto(DuplicateVerdict.Possible, 0.7, ["names alike"]),
            null,
            registration.Version));
    }

    [Fact]
    public void RulesAndPartners_MapEveryField()
    {
        var config = ApplicationParts.CreateMappings();
        var stored = Domain.Rules.RulesOfEngagement.Defaults("system", Now);
        var rules = stored.Adapt<RulesDto>(config);
        rules.Version.Should().Be(stored.Number).And.Be(1);
        (rules.IsActive, rules.Currency, rules.CreatedAt).Should().Be((stored.IsActive, stored.Currency, Now));
        (rules.LikelyDuplicateThreshold, rules.PossibleDuplicateThreshold, rules.DirectLookbackDays, rules.ConflictSlaHours, rules.ReferralAcceptSlaHours)
            .Should().Be((stored.LikelyDuplicateThreshold, stored.PossibleDuplicateThreshold, stored.DirectLookbackDays, stored.ConflictSlaHours, stored.ReferralAcceptSlaHours));
        rules.Tiers.Should().HaveCount(4);
        rules.Explanation.Should().NotBeEmpty();

        var manager = Guid.NewGuid();
        var created = Partner.Create(Guid.NewGuid(), "Fabrikam", PartnerTier.Silver, ["de", "AT"], manager, "admin", Now);
        var partner = created.Adapt<PartnerDto>(config);
        partner.Should().BeEquivalentTo(new PartnerDto(created.Id, "Fabrikam", PartnerTier.Silver, PartnerStatus.Active, ["AT", "DE"], manager, Now, created.Version));
    }
}
