using CoSell.Application.Partners;
using CoSell.Application.Registrations;
using CoSell.Application.RulesOfEngagement;
using CoSell.Domain.Customers;
using CoSell.Domain.Partners;
using CoSell.Domain.Registrations;
using CoSell.Domain.Rules;
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
        // Every tier field of every policy holds a value no other field holds, so a field mapped from another shows;
        // the policies are given out of tier order, which the rules keep them in.
        var stored = Domain.Rules.RulesOfEngagement.Create(
            7,
            "EUR",
            [
                new TierPolicy(PartnerTier.Gold, 41, 42, 3, 1_043.5m, 4_044.25m, 45),
                new TierPolicy(PartnerTier.Registered, 21, 22, 1, 1_023.5m, 2_024.25m, 25),
                new TierPolicy(PartnerTier.Platinum, 51, 52, 4, 1_053.5m, 5_054.25m, 55),
                new TierPolicy(PartnerTier.Silver, 31, 32, 2, 1_033.5m, 3_034.25m, 35),
            ],
            likelyDuplicateThreshold: 0.81,
            possibleDuplicateThreshold: 0.57,
            directLookbackDays: 63,
            conflictSlaHours: 71,
            referralAcceptSlaHours: 29,
            "system",
            Now);
        stored.Activate("system", Now);
        var rules = stored.Adapt<RulesDto>(config);
        rules.Version.Should().Be(7);
        (rules.IsActive, rules.Currency, rules.CreatedAt).Should().Be((true, "EUR", Now));
        (rules.LikelyDuplicateThreshold, rules.PossibleDuplicateThreshold, rules.DirectLookbackDays, rules.ConflictSlaHours, rules.ReferralAcceptSlaHours)
            .Should().Be((0.81, 0.57, 63, 71, 29));
        rules.Tiers.Should().BeEquivalentTo(
            [
                new TierPolicyDto(PartnerTier.Registered, 21, 22, 1, 1_023.5m, 2_024.25m, 25),
                new TierPolicyDto(PartnerTier.Silver, 31, 32, 2, 1_033.5m, 3_034.25m, 35),
                new TierPolicyDto(PartnerTier.Gold, 41, 42, 3, 1_043.5m, 4_044.25m, 45),
                new TierPolicyDto(PartnerTier.Platinum, 51, 52, 4, 1_053.5m, 5_054.25m, 55),
            ],
            options => options.WithStrictOrdering());
        rules.Explanation.Should().Equal(stored.Explain());

        var manager = Guid.NewGuid();
        var created = Partner.Create(Guid.NewGuid(), "Fabrikam", PartnerTier.Silver, ["de", "AT"], manager, "admin", Now);
        var partner = created.Adapt<PartnerDto>(config);
        partner.Should().BeEquivalentTo(new PartnerDto(created.Id, "Fabrikam", PartnerTier.Silver, PartnerStatus.Active, ["AT", "DE"], manager, Now, created.Version));
    }
}
