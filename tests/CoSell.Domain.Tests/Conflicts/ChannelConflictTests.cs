using CoSell.Domain.Conflicts;
using CoSell.Domain.Customers.Identity;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Registrations;
using CoSell.Domain.SeedWork;
using CoSell.Domain.Tests.Registrations;

namespace CoSell.Domain.Tests.Conflicts;

public sealed class ChannelConflictTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private static DealRegistration SubmittedAt(DateTimeOffset at)
    {
        var builder = new RegistrationBuilder();
        var registration = builder.Draft();
        registration.Submit(builder.Partner, RegistrationBuilder.Rules, DuplicateAssessment.Clear, "user", at);
        return registration;
    }

    /// <summary>A direct opportunity opened <paramref name="daysBefore"/> days before now, then registrations submitted two days and one day before.</summary>
    private static (Opportunity Direct, DealRegistration First, DealRegistration Second) DirectThenTwoRegistrations(int daysBefore) =>
        (Opportunity.OpenDirect(Guid.NewGuid(), TestData.Customer(), TestData.Contact, TestData.Usd(50_000),
            DateOnly.FromDateTime(Now.UtcDateTime).AddDays(30), null, TestData.Rep, "rep", Now.AddDays(-daysBefore)),
         SubmittedAt(Now.AddDays(-2)), SubmittedAt(Now.AddDays(-1)));

    private static (ChannelConflict Conflict, Guid First, Guid Second) Opened()
    {
        var first = new RegistrationBuilder().In(RegistrationStatus.Approved);
        var second = new RegistrationBuilder().In(RegistrationStatus.Submitted);
        ConflictClaim[] claims = [ConflictClaim.Of(first, Now), ConflictClaim.Of(second, Now)];
        var conflict = ChannelConflict.Open(Guid.NewGuid(), "Acme", "acme.com", "US", claims, ConflictRules.Recommend(claims, 60, Now), 1, TimeSpan.FromHours(72), "user-f", Now);
        return (conflict, first.Id, second.Id);
    }

    [Fact]
    public void EntriesWrittenInOneMillisecond_AreKeyedInTheOrderWritten_SoTheyAreStoredAndReadInIt()
    {
        // Before, each key was a version 7 GUID, random within its millisecond: "assigned" could be keyed before "opened".
        var (conflict, first, _) = Opened();
        for (var i = 0; i < 200; i++)
        {
            conflict.Assign(Guid.NewGuid(), "admin", Now);
        }

        var statements = Enumerable.Range(0, 20).Select(i => conflict.AddStatement(first, "user-f", $"Statement {i}.", [], Now)).ToList();

        conflict.Log.Select(e => e.Id.ToString("N")).Should().BeInAscendingOrder(StringComparer.Ordinal).And.OnlyHaveUniqueItems();
        conflict.Log[0].Kind.Should().Be(ConflictLogKind.Opened);
        statements.Select(st => st.Id.ToString("N")).Should().BeInAscendingOrder(StringComparer.Ordinal).And.OnlyHaveUniqueItems();
        conflict.LastStatementId.Should().Be(statements[^1].Id);
        conflict.Log.Select(e => e.Id).Should().OnlyContain(id => id.Version == 7, "a key made after another is still a version 7 GUID");
    }

    [Fact]
    public void AClaimThatLeft_ReadsLeft_AndItsPartyAddsNoStatement_TheOtherPartyStillDoes()
    {
        var (conflict, first, second) = Opened();

        conflict.RecordClaimLeft(second, "withdrawn by its partner", 60, "user-f", Now.AddHours(1));

        conflict.Claims.Single(c => c.ClaimId == second).Should().Match<ConflictClaim>(c => c.HasLeft && c.Status == ConflictClaim.LeftStatus);
        conflict.Claims.Single(c => c.ClaimId == first).HasLeft.Should().BeFalse();
        FluentActions.Invoking(() => conflict.AddStatement(second, "user-f", "still here", [], Now.AddHours(2)))
            .Should().Throw<DomainException>().Which.Code.Should().Be("conflict.claim_left");
        conflict.AddStatement(first, "user-n", "We have the signed pilot.", [], Now.AddHours(2))
            .Should().Match<ConflictStatement>(st => st.ClaimId == first && st.ConflictId == conflict.Id && st.Text == "We have the signed pilot.");
        conflict.Claims.Single(c => c.ClaimId == first).StatementsThisRound.Should().Be(1);
    }

    [Fact]
    public void AClaimsPartyAddsAtMostTwentyStatementsARound_TheOtherPartyItsOwnTwenty_AndAReopeningStartsAFreshCount()
    {
        var (conflict, first, second) = Opened();
        for (var i = 0; i < ConflictStatement.MaximumPerPartyInARound; i++)
        {
            conflict.AddStatement(first, "user-n", $"Evidence {i + 1}.", [], Now.AddMinutes(i + 1));
        }

        FluentActions.Invoking(() => conflict.AddStatement(first, "user-n", "One more.", [], Now.AddHours(1)))
            .Should().Throw<DomainException>().Which.Code.Should().Be("conflict.statement_limit");
        conflict.AddStatement(second, "user-f", "Our own evidence.", [], Now.AddHours(1));

        conflict.Decide(DecisionKind.Award, first, "Northwind was first.", "arbiter", Now.AddHours(2));
        conflict.Reopen("New evidence came to light.", "admin", Now.AddHours(3), TimeSpan.FromHours(72));
        conflict.AddStatement(first, "user-n", "The new evidence.", [], Now.AddHours(4));

        conflict.Claims.Single(c => c.ClaimId == first).StatementsThisRound.Should().Be(1, "a reopening starts a fresh count");
    }

    [Fact]
    public void APartysAllowanceCoversEveryClaimItHoldsInTheCase_SoAClaimWithdrawnAndRegisteredAgainIsNoFreshTwenty()
    {
        var builder = new RegistrationBuilder();
        var first = builder.In(RegistrationStatus.Submitted);
        var rival = new RegistrationBuilder().In(RegistrationStatus.Submitted);
        ConflictClaim[] claims = [ConflictClaim.Of(first, Now), ConflictClaim.Of(rival, Now)];
        var conflict = ChannelConflict.Open(Guid.NewGuid(), "Acme", "acme.com", "US", claims, ConflictRules.Recommend(claims, 60, Now), 1, TimeSpan.FromHours(72), "user", Now);
        for (var i = 0; i < ConflictStatement.MaximumPerPartyInARound; i++)
        {
            conflict.AddStatement(first.Id, "user-1", $"Evidence {i + 1}.", [], Now.AddMinutes(i + 1));
        }

        // The partner withdraws that registration and registers the customer again: the new claim joins the case.
        conflict.RecordClaimLeft(first.Id, "withdrawn by its partner", 60, "user-1", Now.AddHours(1));
        var again = DealRegistration.Draft(Guid.NewGuid(), builder.Partner.Id, "user-1", first.Customer, ["Security"], first.EstimatedValue,
            first.ExpectedCloseDate, null, Now.AddHours(1));
        again.Submit(builder.Partner, RegistrationBuilder.Rules, DuplicateAssessment.Clear, "user-1", Now.AddHours(1));
        var joining = ConflictClaim.Of(again, Now.AddHours(1));
        conflict.Join(joining, ConflictRules.Recommend([.. conflict.Claims, joining], 60, Now), "system", Now.AddHours(1));

        FluentActions.Invoking(() => conflict.AddStatement(again.Id, "user-1", "Twenty-first.", [], Now.AddHours(2)))
            .Should().Throw<DomainException>().Which.Code.Should().Be("conflict.statement_limit");
        conflict.AddStatement(rival.Id, "user-2", "The rival still speaks.", [], Now.AddHours(2)).ClaimId.Should().Be(rival.Id);
    }

    [Fact]
    public void AClaimLeavingADecidedCase_ChangesNothing()
    {
        var (conflict, first, second) = Opened();
        conflict.Decide(DecisionKind.Award, first, "Northwind was first.", "arbiter", Now.AddHours(1));

        conflict.RecordClaimLeft(second, "withdrawn by its partner", 60, "user-f", Now.AddHours(2));

        conflict.Claims.Should().OnlyContain(c => !c.HasLeft);
    }

    [Fact]
    public void WhenTheRecommendedClaimLeaves_TheRulesRecommendTheEarliestClaimStillInTheCase_AndItsTimelineSaysSo()
    {
        var (first, second, third) = (SubmittedAt(Now.AddHours(1)), SubmittedAt(Now.AddHours(2)), SubmittedAt(Now.AddHours(3)));
        var opened = Now.AddHours(4);
        ConflictClaim[] claims = [ConflictClaim.Of(third, opened), ConflictClaim.Of(second, opened), ConflictClaim.Of(first, opened)];
        var conflict = ChannelConflict.Open(Guid.NewGuid(), "Acme", "acme.com", "US", claims, ConflictRules.Recommend(claims, 60, opened), 1, TimeSpan.FromHours(72), "user", opened);
        conflict.RecommendedClaimId.Should().Be(first.Id);

        conflict.RecordClaimLeft(second.Id, "withdrawn by its partner", 60, "user", opened.AddHours(1));
        conflict.RecommendedClaimId.Should().Be(first.Id, "the claim recommended is still in the case");
        conflict.Log[^1].Text.Should().NotContain("Rule now");

        conflict.RecordClaimLeft(first.Id, "closed as lost", 60, "user", opened.AddHours(2));

        conflict.RecommendedClaimId.Should().Be(third.Id);
        conflict.Log[^1].Text.Should().StartWith($"Claim {first.Id} left the case: closed as lost. Rule now: First to register wins");
        ConflictRules.Recommend(conflict.Claims, 60, opened.AddHours(3)).RecommendedClaimId.Should().Be(third.Id, "a claim that left is recommended no more, to a claim joining either");
    }

    [Fact]
    public void WhenAClaimThatIsNotTheRecommendedOneLeaves_TheRecommendationStaysAsItWas_AndTheLookBackCountsFromTheOpening()
    {
        // The rep engaged 55 days before the case opened: inside the 60-day look-back then.
        var (direct, first, second) = DirectThenTwoRegistrations(daysBefore: 55);
        ConflictClaim[] claims = [ConflictClaim.Of(first, Now), ConflictClaim.Of(direct, Now), ConflictClaim.Of(second, Now)];
        var conflict = ChannelConflict.Open(Guid.NewGuid(), "Acme", "acme.com", "US", claims, ConflictRules.Recommend(claims, 60, Now), 1, TimeSpan.FromHours(72), "user", Now);
        conflict.RecommendedClaimId.Should().Be(direct.Id);

        // Ten days on, a claim that is not the recommended one is withdrawn: nothing is recommended anew.
        conflict.RecordClaimLeft(second.Id, "withdrawn by its partner", 60, "user", Now.AddDays(10));
        (conflict.RecommendedClaimId, conflict.RuleFired).Should().Be((direct.Id, ConflictRules.DirectEngagement));
        conflict.Log[^1].Text.Should().NotContain("Rule now");

        // Then the direct deal closes: the rules weigh the claims left as of the opening, and the registration first wins.
        conflict.RecordClaimLeft(direct.Id, "closed as ClosedLost", 60, "rep", Now.AddDays(11));
        (conflict.RecommendedClaimId, conflict.RuleFired).Should().Be((first.Id, ConflictRules.FirstToRegister));
    }

    [Fact]
    public void ADirectEngagementOlderThanTheLookBack_IsNoEarlierClaim_TheFirstRegistrationIs()
    {
        // The rep engaged 90 days before the case opened, outside the 60-day look-back; two partners registered since.
        var (direct, first, second) = DirectThenTwoRegistrations(daysBefore: 90);
        ConflictClaim[] claims = [ConflictClaim.Of(direct, Now), ConflictClaim.Of(second, Now), ConflictClaim.Of(first, Now)];

        var recommendation = ConflictRules.Recommend(claims, 60, Now);

        (recommendation.RecommendedClaimId, recommendation.Rule).Should().Be((first.Id, ConflictRules.FirstToRegister));
        recommendation.Explanation.Should().Contain(Now.AddDays(-2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        ConflictRules.Recommend(claims, 120, Now).RecommendedClaimId.Should().Be(direct.Id, "within a longer look-back it is the earlier direct engagement");
    }

    [Fact]
    public void ADirectEngagementAtTheVeryInstantOfAPartnersRegistration_Counts_WhateverTheIds_AndTheWordsSaySo()
    {
        var registration = SubmittedAt(Now.AddDays(-3));
        foreach (var id in new[] { Guid.Empty, Guid.Parse("ffffffff-ffff-ffff-ffff-ffffffffffff") })
        {
            var direct = Opportunity.OpenDirect(id, TestData.Customer(), TestData.Contact, TestData.Usd(50_000),
                DateOnly.FromDateTime(Now.UtcDateTime).AddDays(30), null, TestData.Rep, "rep", registration.SubmittedAt!.Value);

            var recommendation = ConflictRules.Recommend([ConflictClaim.Of(direct, Now), ConflictClaim.Of(registration, Now)], 60, Now);

            (recommendation.Rule, recommendation.RecommendedClaimId).Should().Be((ConflictRules.DirectEngagement, id));
            recommendation.Explanation.Should().Contain("no later than any partner registration").And.NotContain("before any partner");
        }
    }

    [Fact]
    public void WithOnlyDirectEngagementsOlderThanTheLookBackLeft_TheWordsSayNoValidClaimIsLeft()
    {
        var (direct, _, _) = DirectThenTwoRegistrations(daysBefore: 90);
        var claims = new[] { ConflictClaim.Of(direct, Now) };

        var recommendation = ConflictRules.Recommend(claims, 60, Now);

        recommendation.RecommendedClaimId.Should().Be(direct.Id, "the case still names one");
        recommendation.Explanation.Should().StartWith("No claim left in the case is valid").And.NotContain("earliest valid claim");
        recommendation.Wording.Should().Be("The rules find no valid claim left; they name the earliest.");
    }
}
