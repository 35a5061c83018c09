using CoSell.Domain.Opportunities;
using CoSell.Domain.SeedWork;

namespace CoSell.Domain.Tests.Opportunities;

public sealed class OpportunityStageTests
{
    private static readonly OpportunityStage[] Stages = Enum.GetValues<OpportunityStage>();

    // The rule the table encodes: forward to any later open stage, back exactly one, close from any open stage; closed is final.
    private static bool Expected(OpportunityStage from, OpportunityStage to) =>
        OpportunityStages.IsOpen(from) && from != to &&
        (!OpportunityStages.IsOpen(to) || to > from || to == from - 1);

    public static TheoryData<OpportunityStage, OpportunityStage> AllowedMoves()
    {
        var data = new TheoryData<OpportunityStage, OpportunityStage>();
        foreach (var from in Stages)
        {
            foreach (var to in Stages.Where(to => Expected(from, to)))
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    public static TheoryData<OpportunityStage, OpportunityStage> ForbiddenMoves()
    {
        var data = new TheoryData<OpportunityStage, OpportunityStage>();
        foreach (var from in Stages)
        {
            foreach (var to in Stages.Where(to => to != from && !Expected(from, to)))
            {
                data.Add(from, to);
            }
        }

        return data;
    }

    [Fact]
    public void Table_MatchesTheRule_ForEveryPairOfStages()
    {
        foreach (var from in Stages)
        {
            foreach (var to in Stages)
            {
                OpportunityStages.CanMove(from, to).Should().Be(Expected(from, to), $"{from} → {to}");
            }
        }

        OpportunityStages.AllowedMoves.Keys.Should().BeEquivalentTo(Stages);
    }

    [Theory]
    [MemberData(nameof(AllowedMoves))]
    public void MoveTo_AllowedMove_ChangesTheStageAndRecordsIt(OpportunityStage from, OpportunityStage to)
    {
        var opportunity = At(from);

        opportunity.MoveTo(to, "rep", TestData.Now.AddHours(1));

        opportunity.Stage.Should().Be(to);
        opportunity.ClosedAt.Should().Be(OpportunityStages.IsOpen(to) ? null : TestData.Now.AddHours(1));
        var recorded = opportunity.DomainEvents.OfType<OpportunityEvent>().Last();
        recorded.Type.Should().Be("opportunity.stage_changed");
        recorded.Summary.Should().Be($"Stage moved from {from} to {to}.");
        recorded.Stage.Should().Be(to);
        recorded.Audience.Should().Be(EventAudience.Everyone);
    }

    [Theory]
    [MemberData(nameof(ForbiddenMoves))]
    public void MoveTo_ForbiddenMove_IsADomainErrorAndChangesNothing(OpportunityStage from, OpportunityStage to)
    {
        var opportunity = At(from);
        var events = opportunity.DomainEvents.Count;

        var act = () => opportunity.MoveTo(to, "rep", TestData.Now.AddHours(1));

        act.Should().Throw<DomainException>().Which.Code.Should().Be(OpportunityStages.IsOpen(from) ? "opportunity.illegal_stage_move" : "opportunity.closed");
        opportunity.Stage.Should().Be(from);
        opportunity.DomainEvents.Should().HaveCount(events);
    }

    [Theory]
    [MemberData(nameof(StageValues))]
    public void MoveTo_TheSameStage_IsNoChange(OpportunityStage stage)
    {
        var opportunity = At(stage);
        var version = opportunity.Version;
        var events = opportunity.DomainEvents.Count;

        opportunity.MoveTo(stage, "rep", TestData.Now);

        opportunity.DomainEvents.Should().HaveCount(events);
        opportunity.Version.Should().Be(version);
    }

    public static TheoryData<OpportunityStage> StageValues() => new(Stages);

    /// <summary>An opportunity brought to a stage along allowed moves.</summary>
    private static Opportunity At(OpportunityStage stage)
    {
        var opportunity = Opportunity.OpenDirect(Guid.NewGuid(), TestData.Customer(), TestData.Contact, TestData.Usd(50_000), TestData.InDays(30), null, TestData.Rep, "rep", TestData.Now);
        if (stage != OpportunityStage.Qualify)
        {
            opportunity.MoveTo(stage, "rep", TestData.Now);
        }

        return opportunity;
    }
}
