using CoSell.Domain.Conflicts;
using CoSell.Domain.Customers.Identity;
using CoSell.Domain.SeedWork;

namespace CoSell.Domain.Tests.Conflicts;

public sealed class ChannelConflictTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid Northwind = Guid.NewGuid();
    private static readonly Guid Fabrikam = Guid.NewGuid();

    private static (ChannelConflict Conflict, Guid First, Guid Second) Opened()
    {
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        ConflictClaim[] claims =
        [
            new(first, ClaimKind.Registration, Northwind, "user-n", Now.AddDays(-2), "Approved", Now),
            new(second, ClaimKind.Registration, Fabrikam, "user-f", Now.AddDays(-1), "Submitted", Now),
        ];
        var conflict = ChannelConflict.Open(Guid.NewGuid(), "Acme", "acme.com", "US", claims, ConflictRules.Recommend(claims, 60, Now), 1, TimeSpan.FromHours(72), "user-f", Now);
        return (conflict, first, second);
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
