using CoSell.Domain.Conflicts;
using CoSell.Domain.Customers.Identity;
using CoSell.Domain.Registrations;
using CoSell.Domain.SeedWork;
using CoSell.Domain.Tests.Registrations;

namespace CoSell.Domain.Tests.Conflicts;

public sealed class ChannelConflictTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private static (ChannelConflict Conflict, Guid First, Guid Second) Opened()
    {
        var first = new RegistrationBuilder().In(RegistrationStatus.Approved);
        var second = new RegistrationBuilder().In(RegistrationStatus.Submitted);
        ConflictClaim[] claims = [ConflictClaim.Of(first, Now), ConflictClaim.Of(second, Now)];
        var conflict = ChannelConflict.Open(Guid.NewGuid(), "Acme", "acme.com", "US", claims, ConflictRules.Recommend(claims, 60, Now), 1, TimeSpan.FromHours(72), "user-f", Now);
        return (conflict, first.Id, second.Id);
    }

    [Fact]
    public void AClaimThatLeft_ReadsLeft_AndItsPartyAddsNoStatement_TheOtherPartyStillDoes()
    {
        var (conflict, first, second) = Opened();

        conflict.RecordClaimLeft(second, "withdrawn by its partner", "user-f", Now.AddHours(1));

        conflict.Claims.Single(c => c.ClaimId == second).Should().Match<ConflictClaim>(c => c.HasLeft && c.Status == ConflictClaim.LeftStatus);
        conflict.Claims.Single(c => c.ClaimId == first).HasLeft.Should().BeFalse();
        FluentActions.Invoking(() => conflict.AddStatement(second, "user-f", "still here", [], Now.AddHours(2)))
            .Should().Throw<DomainException>().Which.Code.Should().Be("conflict.claim_left");
        conflict.AddStatement(first, "user-n", "We have the signed pilot.", [], Now.AddHours(2));
        conflict.Statements.Should().ContainSingle().Which.ClaimId.Should().Be(first);
    }

    [Fact]
    public void AClaimLeavingADecidedCase_ChangesNothing()
    {
        var (conflict, first, second) = Opened();
        conflict.Decide(DecisionKind.Award, first, "Northwind was first.", "arbiter", Now.AddHours(1));

        conflict.RecordClaimLeft(second, "withdrawn by its partner", "user-f", Now.AddHours(2));

        conflict.Claims.Should().OnlyContain(c => !c.HasLeft);
    }
}
