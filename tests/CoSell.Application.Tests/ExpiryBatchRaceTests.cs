using CoSell.Application.Opportunities;
using CoSell.Application.Registrations;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Users;
using CoSell.Infrastructure.Seeding;

namespace CoSell.Application.Tests;

/// <summary>
/// A periodic job's batch that loses its commit to a change of one of its rows is read and decided again at once,
/// rather than failing every row of the batch until the next tick. The change lands between the batch's reads and its
/// commit (<see cref="Harness.BeforeCommit"/>), as a concurrent request's commit would.
/// </summary>
public sealed class ExpiryBatchRaceTests : IClassFixture<Harness>
{
    private readonly Harness _harness;

    public ExpiryBatchRaceTests(Harness harness) => _harness = harness;

    private async Task<(OpportunityDto Opportunity, InvitationDto Invitation)> InvitedAsync(string name, Guid partner)
    {
        _harness.User.Is(DemoProgramme.Rep, Roles.Rep);
        var close = DateOnly.FromDateTime(_harness.Time.GetUtcNow().UtcDateTime).AddDays(30);
        var domain = name.ToLowerInvariant().Replace(' ', '-') + ".co.uk";
        var opportunity = await _harness.Send(new CreateOpportunity(new CustomerInput(name, domain, "GB", null), null, new MoneyInput(70_000m, "GBP"), close, null, null));
        return (opportunity, await _harness.Send(new InvitePartner(opportunity.Id, partner, null, opportunity.Version)));
    }

    [Fact]
    public async Task AnExpiryBatchThatLosesToANoteOnOneOfItsDeals_ExpiresEveryInvitationDue_InTheSameRun()
    {
        var (first, firstInvitation) = await InvitedAsync("Lapsing Lanes Ltd", DemoProgramme.Northwind);
        var (second, secondInvitation) = await InvitedAsync("Lapsing Locks Ltd", DemoProgramme.Adatum);
        _harness.Time.Advance(TimeSpan.FromHours(49));
        _harness.BeforeCommit = async () =>
        {
            _harness.User.Is(DemoProgramme.Rep, Roles.Rep);
            await _harness.Send(new AddNote(first.Id, NoteVisibility.Internal, "Written while the batch ran.", null));
        };

        var expired = await _harness.Send(new ExpireInvitations());

        expired.Should().BeGreaterThanOrEqualTo(2);
        _harness.BeforeCommit.Should().BeNull("the note landed between the batch's reads and its commit");
        _harness.User.Is(DemoProgramme.Rep, Roles.Rep);
        (await _harness.Send(new GetOpportunity(first.Id))).Participants.Single(p => p.InvitationId == firstInvitation.Id).Status.Should().Be(InvitationStatus.Expired);
        (await _harness.Send(new GetOpportunity(second.Id))).Participants.Single(p => p.InvitationId == secondInvitation.Id).Status.Should().Be(InvitationStatus.Expired);
    }
}
