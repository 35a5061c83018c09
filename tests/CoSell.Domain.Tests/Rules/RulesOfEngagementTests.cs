using CoSell.Domain.Partners;
using CoSell.Domain.Rules;
using CoSell.Domain.SeedWork;

namespace CoSell.Domain.Tests.Rules;

public sealed class RulesOfEngagementTests
{
    private static TierPolicy Policy(PartnerTier tier, int protectionDays = 90) => new(tier, protectionDays, 30, 1, 1_000m, 25_000m, 48);

    private static RulesOfEngagement Create(params TierPolicy[] tiers) =>
        RulesOfEngagement.Create(2, "USD", tiers, 0.85, 0.6, 60, 72, 48, "admin", TestData.Now);

    [Fact]
    public void AVersionMissingATier_IsRefused_NamingTheTierAsTheApiWritesIt() =>
        FluentActions.Invoking(() => Create(Policy(PartnerTier.Registered), Policy(PartnerTier.Silver), Policy(PartnerTier.Platinum)))
            .Should().Throw<DomainValidationException>().Which.Message.Should().Be("Each tier needs exactly one policy; check gold.");

    [Fact]
    public void ATierPolicyOutOfRange_IsRefused_NamingTheTierAsTheApiWritesIt() =>
        FluentActions.Invoking(() => Create(Policy(PartnerTier.Registered), Policy(PartnerTier.Silver), Policy(PartnerTier.Gold, protectionDays: 0), Policy(PartnerTier.Platinum)))
            .Should().Throw<DomainValidationException>().Which.Message.Should().Be("The gold policy has a value out of range.");

    [Fact]
    public void TheExplanation_SaysHowAConflictIsDecided_AsTheCasesRecommendIt()
    {
        var rules = Create(Policy(PartnerTier.Registered), Policy(PartnerTier.Silver), Policy(PartnerTier.Gold), Policy(PartnerTier.Platinum));

        var conflicts = rules.Explain().Single(line => line.StartsWith("When claims on one customer conflict", StringComparison.Ordinal));

        conflicts.Should().Contain("the first valid claim wins").And.Contain("a higher partner tier never overrides an earlier valid claim")
            .And.Contain("brought the customer newly").And.Contain("written reason");
    }
}
