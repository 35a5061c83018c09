using CoSell.Application.Abstractions;
using CoSell.Application.Partners;
using CoSell.Application.Registrations;
using CoSell.Application.Users;
using CoSell.Domain.Partners;
using CoSell.Domain.Registrations;
using CoSell.Domain.SeedWork;
using CoSell.Domain.Users;
using CoSell.Infrastructure.Persistence;
using CoSell.Infrastructure.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CoSell.Application.Tests;

/// <summary>
/// A registration arriving in a review queue, by submission or by being passed on, tells the managers whose queue
/// (<c>GET /reviews</c>) now lists it, once per registration, and nobody else; one leaving a queue tells the managers
/// whose queue listed it before the command and lists it no more.
/// </summary>
public sealed class ReviewQueuePushTests : IClassFixture<Harness>
{
    private readonly Harness _harness;

    public ReviewQueuePushTests(Harness harness) => _harness = harness;

    private void AsAdmin() => _harness.User.Is(DemoProgramme.Admin, Roles.Admin);

    private async Task<UserDto> ChannelManagerAsync(string name)
    {
        AsAdmin();
        return await _harness.Send(new CreateUser(Guid.NewGuid(), name, "Queue Manager", Roles.ChannelManager, null));
    }

    private async Task<PartnerDto> PartnerAsync(string name, Guid? manager)
    {
        AsAdmin();
        return await _harness.Send(new CreatePartner(name, PartnerTier.Silver, ["US"], manager));
    }

    private async Task<RegistrationDto> DraftAsync(PartnerDto partner, string name)
    {
        _harness.User.Is(Guid.NewGuid(), Roles.Partner, partner.Id);
        var domain = name.ToLowerInvariant().Replace(' ', '-') + ".com";
        return await _harness.Send(new CreateRegistration(new CustomerInput(name, domain, "US", null), ["Security"], new MoneyInput(400_000m, "USD"),
            DateOnly.FromDateTime(_harness.Time.GetUtcNow().UtcDateTime).AddDays(30), null));
    }

    private async Task<RegistrationDto> SubmittedAsync(PartnerDto partner, string name)
    {
        var draft = await DraftAsync(partner, name);
        _harness.User.Is(Guid.NewGuid(), Roles.Partner, partner.Id);
        return await _harness.Send(new SubmitRegistration(draft.Id));
    }

    private List<(RegistrationStatusMessage Message, IReadOnlyList<Guid> ChannelManagers)> QueuedFor(Guid registrationId)
    {
        lock (_harness.Notifier.Queued)
        {
            return _harness.Notifier.Queued.Where(q => q.Message.RegistrationId == registrationId).ToList();
        }
    }

    private List<(ReviewQueueLeftMessage Message, IReadOnlyList<Guid> ChannelManagers)> LeftFrom(Guid registrationId)
    {
        lock (_harness.Notifier.Left)
        {
            return _harness.Notifier.Left.Where(q => q.Message.RegistrationId == registrationId).ToList();
        }
    }

    private Task<List<Guid>> ActiveChannelManagersAsync() =>
        _harness.InScope(sp => sp.GetRequiredService<CoSellDbContext>().Users
            .Where(u => u.Role == Roles.ChannelManager && u.IsActive).Select(u => u.Id).ToListAsync());

    [Fact]
    public async Task ARegistrationPassedToThePartnersNewManager_ReachesThatManagerOnly()
    {
        var first = await ChannelManagerAsync("queue.first");
        var second = await ChannelManagerAsync("queue.second");
        var partner = await PartnerAsync("Handed Over Partners", first.Id);
        var waiting = await SubmittedAsync(partner, "Handed Over Co");
        var returned = await SubmittedAsync(partner, "Returned Meanwhile Co");
        _harness.User.Is(first.Id, Roles.ChannelManager);
        await _harness.Send(new ReturnRegistration(returned.Id, "Name the buying unit."));
        QueuedFor(waiting.Id).Should().ContainSingle().Which.ChannelManagers.Should().Equal(first.Id);

        AsAdmin();
        await _harness.Send(new UpdatePartner(partner.Id, null, null, null, second.Id, null, partner.Version));

        var queued = QueuedFor(waiting.Id);
        queued.Select(q => q.Message.Type).Should().Equal("registration.submitted", "registration.rerouted");
        queued[1].ChannelManagers.Should().Equal(second.Id);
        queued[1].Message.PartnerId.Should().Be(partner.Id);
        _harness.User.Is(second.Id, Roles.ChannelManager);
        (await _harness.Send(new GetReviewQueue(1, 100))).Items.Select(i => i.Registration.Id).Should().Contain(waiting.Id, "the push names what the queue now lists");
        QueuedFor(returned.Id).Select(q => q.Message.Type).Should().Equal(["registration.submitted"], "one returned for action waits for its partner, in nobody's queue");
    }

    [Fact]
    public async Task ARegistrationPassedToNobody_ReachesEveryOtherActiveChannelManager_NotTheOneWhoseQueueListedIt()
    {
        var manager = await ChannelManagerAsync("queue.unassigned");
        var partner = await PartnerAsync("Unassigned Later Partners", manager.Id);
        var waiting = await SubmittedAsync(partner, "Unassigned Later Co");

        AsAdmin();
        await _harness.Send(new UpdatePartner(partner.Id, null, null, null, null, null, partner.Version, UnassignChannelManager: true));

        var rerouted = QueuedFor(waiting.Id).Should().HaveCount(2).And.Subject.Last();
        rerouted.Message.Type.Should().Be("registration.rerouted");
        rerouted.ChannelManagers.Should().BeEquivalentTo((await ActiveChannelManagersAsync()).Where(id => id != manager.Id), "the shared queue it went to is read by its former manager too");
        LeftFrom(waiting.Id).Should().BeEmpty("its former manager's queue still lists it");
    }

    [Fact]
    public async Task ARegistrationPassedFromTheSharedQueueToAManager_ArrivesNowhere_AndLeavesEveryOtherManagersQueue()
    {
        var manager = await ChannelManagerAsync("queue.assigned.later");
        var partner = await PartnerAsync("Assigned Later Partners", null);
        var waiting = await SubmittedAsync(partner, "Assigned Later Co");
        QueuedFor(waiting.Id).Should().ContainSingle().Which.ChannelManagers.Should().Contain(manager.Id);

        AsAdmin();
        await _harness.Send(new UpdatePartner(partner.Id, null, null, null, manager.Id, null, partner.Version));

        QueuedFor(waiting.Id).Select(q => q.Message.Type).Should().Equal(["registration.submitted"], "the manager it was passed to listed it in the shared queue already");
        var left = LeftFrom(waiting.Id).Should().ContainSingle().Subject;
        left.Message.Type.Should().Be("registration.rerouted");
        left.ChannelManagers.Should().BeEquivalentTo((await ActiveChannelManagersAsync()).Where(id => id != manager.Id));
    }

    [Fact]
    public async Task ADeactivatedManagersReviews_EachReachEveryActiveChannelManagerOnce_AndNotTheDeactivatedOne()
    {
        var leaving = await ChannelManagerAsync("queue.leaving");
        var shared = await PartnerAsync("Shared Queue Partners", null);
        var takenUp = new List<RegistrationDto>();
        foreach (var name in new[] { "Taken Up One Co", "Taken Up Two Co", "Taken Up Three Co" })
        {
            var waiting = await SubmittedAsync(shared, name);
            _harness.User.Is(leaving.Id, Roles.ChannelManager);
            takenUp.Add(await _harness.Send(new StartReview(waiting.Id)));
        }

        AsAdmin();
        var current = await _harness.Send(new GetUser(leaving.Id));
        await _harness.Send(new UpdateUser(leaving.Id, null, false, current.Version));

        var active = await ActiveChannelManagersAsync();
        foreach (var registration in takenUp)
        {
            var rerouted = QueuedFor(registration.Id).Where(q => q.Message.Type == "registration.rerouted").Should().ContainSingle().Subject;
            rerouted.ChannelManagers.Should().BeEquivalentTo(active).And.NotContain(leaving.Id);
        }
    }

    [Fact]
    public async Task ASubmissionRoutedToAManagerSinceDeactivated_ReachesEveryActiveChannelManager()
    {
        var gone = await ChannelManagerAsync("queue.gone");
        var partner = await PartnerAsync("Left Behind Partners", gone.Id);
        var draft = await DraftAsync(partner, "Left Behind Co");
        // The service refuses to deactivate a manager who still manages a partner; a record written before that rule may hold one.
        await _harness.InScope(sp => sp.GetRequiredService<CoSellDbContext>().Users.Where(u => u.Id == gone.Id)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.IsActive, false)));

        _harness.User.Is(Guid.NewGuid(), Roles.Partner, partner.Id);
        var submitted = await _harness.Send(new SubmitRegistration(draft.Id));

        submitted.ReviewerId.Should().Be(gone.Id);
        var queued = QueuedFor(draft.Id).Should().ContainSingle().Subject;
        queued.Message.Type.Should().Be("registration.submitted");
        queued.ChannelManagers.Should().BeEquivalentTo(await ActiveChannelManagersAsync()).And.NotContain(gone.Id);
    }

    [Fact]
    public async Task ADecisionRolledBackAtItsCommit_TellsNobody_AndTheChangeThatCommittedTellsTheManagerOnce()
    {
        var manager = await ChannelManagerAsync("queue.raced");
        var partner = await PartnerAsync("Raced Queue Partners", manager.Id);
        var waiting = await SubmittedAsync(partner, "Raced Queue Co");
        LeftFrom(waiting.Id).Should().BeEmpty("a submission leaves no queue");

        // The partner withdraws it between the approval's decision and its commit: the approval is rolled back, and
        // decided again it finds the registration withdrawn.
        _harness.BeforeCommit = async () =>
        {
            _harness.User.Is(Guid.NewGuid(), Roles.Partner, partner.Id);
            await _harness.Send(new WithdrawRegistration(waiting.Id));
            _harness.User.Is(manager.Id, Roles.ChannelManager);
        };
        _harness.User.Is(manager.Id, Roles.ChannelManager);
        var approve = () => _harness.Send(new ApproveRegistration(waiting.Id));
        (await approve.Should().ThrowAsync<DomainException>()).Which.Code.Should().Be("registration.not_open");

        var left = LeftFrom(waiting.Id).Should().ContainSingle().Subject;
        left.Message.Type.Should().Be("registration.withdrawn");
        left.Message.Status.Should().Be(RegistrationStatus.Withdrawn);
        left.ChannelManagers.Should().Equal(manager.Id);
    }

    [Fact]
    public async Task ATakeUpFromTheSharedQueue_TellsEveryOtherActiveManager_AndNotTheOneWhoTookItUp()
    {
        var taker = await ChannelManagerAsync("queue.taker");
        var shared = await PartnerAsync("Taken Up Partners", null);
        var waiting = await SubmittedAsync(shared, "Taken Up Queue Co");

        _harness.User.Is(taker.Id, Roles.ChannelManager);
        await _harness.Send(new StartReview(waiting.Id));

        var left = LeftFrom(waiting.Id).Should().ContainSingle().Subject;
        left.Message.Type.Should().Be("registration.review_started");
        left.ChannelManagers.Should().BeEquivalentTo((await ActiveChannelManagersAsync()).Where(id => id != taker.Id));

        await _harness.Send(new RejectRegistration(waiting.Id, RejectionReason.NotQualified));
        LeftFrom(waiting.Id).Should().HaveCount(2).And.Subject.Last().ChannelManagers.Should().Equal(taker.Id);
    }

    [Fact]
    public async Task ATakeUpByAManagerWithoutAUserRow_LeavesEveryOtherQueue_AndItsDecisionTellsThatManagerOnly()
    {
        await ChannelManagerAsync("queue.row.keeper");
        var shared = await PartnerAsync("Rowless Take Up Partners", null);
        var waiting = await SubmittedAsync(shared, "Rowless Take Up Co");
        var rowless = Guid.NewGuid();

        _harness.User.Is(rowless, Roles.ChannelManager);
        await _harness.Send(new StartReview(waiting.Id));

        var takenUp = LeftFrom(waiting.Id).Should().ContainSingle("taken up, it is listed in that manager's queue only").Subject;
        takenUp.ChannelManagers.Should().BeEquivalentTo(await ActiveChannelManagersAsync());

        await _harness.Send(new RejectRegistration(waiting.Id, RejectionReason.NotQualified));
        LeftFrom(waiting.Id).Should().HaveCount(2).And.Subject.Last().ChannelManagers.Should().Equal(rowless);
    }

    [Fact]
    public async Task ADeactivatedManagersReviews_TellNoManagerTheyLeft_AsEveryActiveManagersQueueNowListsThem()
    {
        var leaving = await ChannelManagerAsync("queue.leaving.quietly");
        var shared = await PartnerAsync("Quietly Left Partners", null);
        var waiting = await SubmittedAsync(shared, "Quietly Left Co");
        _harness.User.Is(leaving.Id, Roles.ChannelManager);
        await _harness.Send(new StartReview(waiting.Id));
        var takenUp = LeftFrom(waiting.Id).Should().ContainSingle("taken up, it left every other manager's queue").Subject;
        takenUp.ChannelManagers.Should().NotContain(leaving.Id).And.NotBeEmpty();

        AsAdmin();
        var current = await _harness.Send(new GetUser(leaving.Id));
        await _harness.Send(new UpdateUser(leaving.Id, null, false, current.Version));

        QueuedFor(waiting.Id).Last().Message.Type.Should().Be("registration.rerouted");
        LeftFrom(waiting.Id).Should().Equal([takenUp], "the deactivated manager is told nothing, and every other manager's queue lists it again");
    }

    [Fact]
    public async Task AWaitingRegistrationTakenIntoAConflictByARivalsSubmission_LeavesItsManagersQueue()
    {
        var manager = await ChannelManagerAsync("queue.rival");
        var first = await PartnerAsync("First Claim Partners", manager.Id);
        var second = await PartnerAsync("Second Claim Partners", manager.Id);
        var waiting = await SubmittedAsync(first, "Contested Queue Co");
        _harness.Time.Advance(TimeSpan.FromMinutes(5));

        var rival = await SubmittedAsync(second, "Contested Queue Co");

        rival.Status.Should().Be(RegistrationStatus.InConflict);
        var left = LeftFrom(waiting.Id).Should().ContainSingle().Subject;
        left.Message.Type.Should().Be("registration.in_conflict");
        left.Message.Status.Should().Be(RegistrationStatus.InConflict);
        left.ChannelManagers.Should().Equal(manager.Id);
        LeftFrom(rival.Id).Should().BeEmpty("the submission that collided was in no queue before");
    }
}
