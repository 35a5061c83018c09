using CoSell.Domain.Partners;
using CoSell.Domain.Rules;
using CoSell.Domain.SeedWork;

namespace CoSell.Domain.Tests.Rules;

public sealed class RulesOfEngagementTests
{
    private static TierPolicy Policy(PartnerTier tier, int protectionDays = 90) => new(tier, protectionDays, 30, 1, 1_000m, 25_000m, 48);

    private static RulesOfEngagement Create(params TierPolicy[] tiers) =>
        RulesOfEngagement.Create(2, "USD", tiers, 0.85, 0.6, 60, 72, 48, "admin", TestData.Now);

    private static TierPolicy[] EveryTier => [Policy(PartnerTier.Registered), Policy(PartnerTier.Silver), Policy(PartnerTier.Gold), Policy(PartnerTier.Platinum)];

    // Before, the plain words left out the deadline an invitation to co-sell is answered by, which the same hours set.
    [Fact]
    public void TheExplanation_SaysTheThresholdsAsWritten_AndTheDeadlineOfAnInvitationToCoSell()
    {
        var rules = RulesOfEngagement.Create(2, "USD", EveryTier, 0.8555, 0.0001, 60, 72, 36, "admin", TestData.Now);

        var explained = string.Join(" ", rules.Explain());

        explained.Should().Contain("with a score of 0.8555 or more").And.Contain("from 0.0001 it is flagged")
            .And.Contain("a referral must be accepted or declined, and an invitation to co-sell answered, within 36 hours.");
        string.Join(" ", RulesOfEngagement.Create(3, "USD", EveryTier, 0.85, 0.60004, 60, 72, 36, "admin", TestData.Now).Explain())
            .Should().Contain("from 0.60004 it is flagged", "a version published before thresholds were held to four decimals reads as it is enforced");
    }

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
        var rules = Create(EveryTier);

        var conflicts = rules.Explain().Single(line => line.StartsWith("When claims on one customer conflict", StringComparison.Ordinal));

        conflicts.Should().Contain("the first valid claim wins").And.Contain("a higher partner tier never overrides an earlier valid claim")
            .And.Contain("brought the customer newly").And.Contain("written reason");
    }
}
