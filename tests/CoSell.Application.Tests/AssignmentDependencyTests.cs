using CoSell.Application.Abstractions;
using CoSell.Application.Conflicts;
using CoSell.Application.Opportunities;
using CoSell.Application.Partners;
using CoSell.Application.Registrations;
using CoSell.Application.Users;
using CoSell.Domain.Conflicts;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Partners;
using CoSell.Domain.Registrations;
using CoSell.Domain.SeedWork;
using CoSell.Domain.Users;
using CoSell.Infrastructure.Seeding;
using Microsoft.Extensions.DependencyInjection;

namespace CoSell.Application.Tests;

/// <summary>
/// Two commands that each rest on what the other changes, one committing between the other's reads and its commit
/// (<see cref="Harness.BeforeCommit"/>): a user assigned while deactivated, a deal won while its case is reopened.
/// Whichever commits second is refused, in either order.
/// </summary>
public sealed class AssignmentDependencyTests : IClassFixture<Harness>
{
    private readonly Harness _harness;

    public AssignmentDependencyTests(Harness harness) => _harness = harness;

    private void AsAdmin() => _harness.User.Is(DemoProgramme.Admin, Roles.Admin);

    private async Task<UserDto> ChannelManagerAsync(string name)
    {
        AsAdmin();
        return await _harness.Send(new CreateUser(Guid.NewGuid(), name, "Race Manager", Roles.ChannelManager, null));
    }

    private Task<UserDto> DeactivateAsync(UserDto user)
    {
        AsAdmin();
        return _harness.Send(new UpdateUser(user.Id, null, false, user.Version));
    }

    private Task<PartnerDto> PartnerManagedByAsync(string name, Guid manager)
    {
        AsAdmin();
        return _harness.Send(new CreatePartner(name, PartnerTier.Silver, ["FR"], manager));
    }

    [Fact]
    public async Task TwoAdminsDeactivatingEachOtherAtOnce_TheSecondToCommitIsRefused_SoAnAdminIsLeft()
    {
        AsAdmin();
        var second = await _harness.Send(new CreateUser(Guid.NewGuid(), "race.admin", "Second Admin", Roles.Admin, null));
        var first = await _harness.Send(new GetUser(DemoProgramme.Admin));
        _harness.BeforeCommit = async () =>
        {
            _harness.User.Is(second.Id, Roles.Admin);
            await _harness.Send(new UpdateUser(first.Id, null, false, first.Version));
            AsAdmin();
        };

        var deactivate = () => _harness.Send(new UpdateUser(second.Id, null, false, second.Version));

        (await deactivate.Should().ThrowAsync<ConcurrentChangeException>()).Which.Code.Should().Be("user.changed");
        _harness.User.Is(second.Id, Roles.Admin);
        (await _harness.Send(new GetUser(second.Id))).IsActive.Should().BeTrue("the admin that deactivated the other is left");
        var reactivated = await _harness.Send(new UpdateUser(first.Id, null, true, (await _harness.Send(new GetUser(first.Id))).Version));
        reactivated.IsActive.Should().BeTrue();
    }

    [Fact]
    public async Task ADeactivatedAdminWhoseTokenStillWorks_ChangesAndCreatesNoUser_SoItCannotDeactivateTheLastAdmin()
    {
        AsAdmin();
        var second = await _harness.Send(new CreateUser(Guid.NewGuid(), "former.admin", "Former Admin", Roles.Admin, null));
        await _harness.Send(new UpdateUser(second.Id, null, false, second.Version));
        var first = await _harness.Send(new GetUser(DemoProgramme.Admin));

        var deactivated = await _harness.Send(new GetUser(second.Id));
        _harness.User.Is(second.Id, Roles.Admin);
        var deactivate = () => _harness.Send(new UpdateUser(first.Id, null, false, first.Version));
        var reactivateItself = () => _harness.Send(new UpdateUser(second.Id, null, true, deactivated.Version));
        var create = () => _harness.Send(new CreateUser(Guid.NewGuid(), "back.door", "Back Door", Roles.Admin, null));

        await deactivate.Should().ThrowAsync<ForbiddenException>();
        await reactivateItself.Should().ThrowAsync<ForbiddenException>();
        await create.Should().ThrowAsync<ForbiddenException>();
        AsAdmin();
        (await _harness.Send(new GetUser(first.Id))).IsActive.Should().BeTrue();
        (await _harness.Send(new GetUser(second.Id))).IsActive.Should().BeFalse();
    }

    [Fact]
    public async Task AnAdminDeactivatedWhileItCreatesAUser_CreatesNone()
    {
        AsAdmin();
        var second = await _harness.Send(new CreateUser(Guid.NewGuid(), "racing.admin", "Racing Admin", Roles.Admin, null));
        _harness.BeforeCommit = async () =>
        {
            await DeactivateAsync(second);
            _harness.User.Is(second.Id, Roles.Admin);
        };
        _harness.User.Is(second.Id, Roles.Admin);

        var create = () => _harness.Send(new CreateUser(Guid.NewGuid(), "raced.in", "Raced In", Roles.Admin, null));

        (await create.Should().ThrowAsync<ConcurrentChangeException>()).Which.Code.Should().Be("user.changed");
        AsAdmin();
        (await _harness.Send(new ListUsers(null, null, null, 1, 100))).Items.Should().NotContain(u => u.UserName == "raced.in");
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("Renamed Meanwhile", null)]
    public async Task AnAdminDeactivatedWhileItChangesAUser_ChangesNothing(string? displayName, bool? isActive)
    {
        var changed = await ChannelManagerAsync($"changed.{Guid.NewGuid():N}"[..20]);
        changed = await DeactivateAsync(changed);
        AsAdmin();
        var second = await _harness.Send(new CreateUser(Guid.NewGuid(), $"racer.{Guid.NewGuid():N}"[..20], "Racing Admin", Roles.Admin, null));
        _harness.BeforeCommit = async () =>
        {
            await DeactivateAsync(second);
            _harness.User.Is(second.Id, Roles.Admin);
        };
        _harness.User.Is(second.Id, Roles.Admin);

        var change = () => _harness.Send(new UpdateUser(changed.Id, displayName, isActive, changed.Version));

        (await change.Should().ThrowAsync<ConcurrentChangeException>()).Which.Code.Should().Be("user.changed");
        AsAdmin();
        var stored = await _harness.Send(new GetUser(changed.Id));
        stored.Version.Should().Be(changed.Version);
        stored.IsActive.Should().BeFalse();
        stored.DisplayName.Should().Be("Race Manager");
        _harness.User.Is(second.Id, Roles.Admin);
        await change.Should().ThrowAsync<ForbiddenException>("sent again, it meets its admin deactivated");
    }

    [Fact]
    public async Task AManagerDeactivatedWhileAssignedAPartner_RefusesTheAssignment_AsAnyInactiveManagerIs()
    {
        var manager = await ChannelManagerAsync("race.assigned");
        _harness.BeforeCommit = async () => await DeactivateAsync(manager);

        var assign = () => PartnerManagedByAsync("Assigned In A Race SARL", manager.Id);

        // Lost at its commit, the assignment is decided again, and meets the deactivation.
        (await assign.Should().ThrowAsync<FluentValidation.ValidationException>()).Which.Errors.Select(e => e.PropertyName).Should().Equal("ChannelManagerId");
        AsAdmin();
        (await _harness.Send(new ListPartners(1, 100))).Items.Should().NotContain(p => p.Name == "Assigned In A Race SARL");
    }

    [Fact]
    public async Task AReferralSentWhileItsPartnerIsReassigned_GoesToTheNewChannelManager()
    {
        var partner = await PartnerManagedByAsync("Referring In A Race SARL", DemoProgramme.Manager);
        var sender = Guid.NewGuid();
        _harness.BeforeCommit = async () =>
        {
            AsAdmin();
            await _harness.Send(new UpdatePartner(partner.Id, null, null, null, DemoProgramme.Manager2, null, partner.Version));
            _harness.User.Is(sender, Roles.Partner, partner.Id);
        };
        _harness.User.Is(sender, Roles.Partner, partner.Id);

        var sent = await _harness.Send(new Referrals.SendReferral(null, new CustomerInput("Raced Lead SARL", "raced-lead.fr", "FR"), new ContactInput("Lea Lead", "lea@raced-lead.fr", null), null, null, null));

        // Lost at its commit to the reassignment, the referral is sent again to the partner's manager of now.
        sent.VendorUserId.Should().Be(DemoProgramme.Manager2);
    }

    // Before, a referral that committed after the hand-over read the partner's waiting referrals and before the hand-over
    // committed stayed with the former manager, who answered for it and heard of it.
    [Fact]
    public async Task AReferralSentWhileItsPartnerIsHandedOver_AfterTheHandOverReadItsReferrals_IsTakenAlong()
    {
        var partner = await PartnerManagedByAsync("Handed Over In A Race SARL", DemoProgramme.Manager);
        var sender = Guid.NewGuid();
        Referrals.ReferralDto? sent = null;
        _harness.BeforeCommit = async () =>
        {
            _harness.BeforeCommit = null;
            _harness.User.Is(sender, Roles.Partner, partner.Id);
            sent = await _harness.Send(new Referrals.SendReferral(null, new CustomerInput("Handed Lead SARL", "handed-lead.fr", "FR"), new ContactInput("Lea Lead", "lea@handed-lead.fr", null), null, null, null));
            AsAdmin();
        };
        AsAdmin();

        await _harness.Send(new UpdatePartner(partner.Id, null, null, null, DemoProgramme.Manager2, null, partner.Version));

        sent!.VendorUserId.Should().Be(DemoProgramme.Manager, "it was sent to the manager of the moment, before the hand-over committed");
        _harness.User.Is(DemoProgramme.Manager2, Roles.ChannelManager);
        (await _harness.Send(new Referrals.GetReferral(sent.Id))).VendorUserId.Should().Be(DemoProgramme.Manager2, "the hand-over, decided again, found it and took it along");
    }

    [Fact]
    public async Task APartnerSuspendedWhileInvited_RefusesTheInvitation_AsForAnySuspendedPartner()
    {
        var partner = await PartnerManagedByAsync("Invited In A Race SARL", DemoProgramme.Manager);
        _harness.User.Is(DemoProgramme.Rep, Roles.Rep);
        var close = DateOnly.FromDateTime(_harness.Time.GetUtcNow().UtcDateTime).AddDays(60);
        var deal = await _harness.Send(new CreateOpportunity(new CustomerInput("Invited Race Co", "invited-race.fr", "FR"), new ContactInput("Dana Buyer", "dana@invited-race.fr", null), new MoneyInput(90_000m, "EUR"), close, null, null));
        _harness.BeforeCommit = async () =>
        {
            AsAdmin();
            await _harness.Send(new UpdatePartner(partner.Id, null, null, null, null, PartnerStatus.Suspended, partner.Version));
            _harness.User.Is(DemoProgramme.Rep, Roles.Rep);
        };
        _harness.User.Is(DemoProgramme.Rep, Roles.Rep);

        var invite = () => _harness.Send(new InvitePartner(deal.Id, partner.Id, null));

        (await invite.Should().ThrowAsync<DomainException>()).Which.Code.Should().Be("partner.suspended");
        _harness.User.Is(DemoProgramme.Rep, Roles.Rep);
        (await _harness.Send(new GetOpportunity(deal.Id))).Participants.Should().BeEmpty();
    }

    [Fact]
    public async Task TwoPartnersAssignedTheSameManagerAtOnce_AreBothCreated()
    {
        var manager = await ChannelManagerAsync("race.twice");
        _harness.BeforeCommit = async () => await PartnerManagedByAsync("Assigned First SARL", manager.Id);

        var second = await PartnerManagedByAsync("Assigned Second SARL", manager.Id);

        second.ChannelManagerId.Should().Be(manager.Id);
        AsAdmin();
        (await _harness.Send(new ListPartners(1, 100))).Items.Where(p => p.ChannelManagerId == manager.Id).Select(p => p.Name)
            .Should().BeEquivalentTo(["Assigned First SARL", "Assigned Second SARL"]);
    }

    [Fact]
    public async Task AManagerAssignedAPartnerWhileDeactivated_RefusesTheDeactivation()
    {
        var manager = await ChannelManagerAsync("race.deactivated");
        _harness.BeforeCommit = async () => await PartnerManagedByAsync("Deactivated In A Race SARL", manager.Id);

        var deactivate = () => DeactivateAsync(manager);

        await deactivate.Should().ThrowAsync<PreconditionFailedException>();
        AsAdmin();
        (await _harness.Send(new GetUser(manager.Id))).IsActive.Should().BeTrue("it manages a partner now");
    }

    [Fact]
    public async Task TwoPartnersNamedApartOnlyInTheCaseOfLettersBeyondAscii_CreatedAtOnce_AreNotBothStored()
    {
        AsAdmin();
        _harness.BeforeCommit = async () => await _harness.Send(new CreatePartner("CAFÉ RACE PARTNERS", PartnerTier.Gold, ["FR"], null));

        var second = () => _harness.Send(new CreatePartner("Café Race Partners", PartnerTier.Gold, ["FR"], null));

        // The check before the commit found no such name; the folded key's unique index refuses the loser at its commit.
        (await second.Should().ThrowAsync<DomainException>()).Which.Code.Should().Be("conflict.already_exists");
        AsAdmin();
        (await _harness.Send(new ListPartners(1, 100))).Items.Where(p => string.Equals(p.Name, "Café Race Partners", StringComparison.OrdinalIgnoreCase))
            .Select(p => p.Name).Should().Equal("CAFÉ RACE PARTNERS");
    }

    /// <summary>A registration submitted by a new partner without a channel manager: it waits in the shared queue.</summary>
    private async Task<RegistrationDto> InTheSharedQueueAsync(string name)
    {
        AsAdmin();
        var unmanaged = await _harness.Send(new CreatePartner(name + " Partner", PartnerTier.Silver, ["US"], null));
        _harness.User.Is(Guid.NewGuid(), Roles.Partner, unmanaged.Id);
        var domain = name.ToLowerInvariant().Replace(' ', '-') + ".com";
        var draft = await _harness.Send(new CreateRegistration(new CustomerInput(name, domain, "US", null), ["Security"], new MoneyInput(400_000m, "USD"),
            DateOnly.FromDateTime(_harness.Time.GetUtcNow().UtcDateTime).AddDays(30), null));
        var submitted = await _harness.Send(new SubmitRegistration(draft.Id));
        submitted.ReviewerId.Should().BeNull("nobody manages its partner");
        return submitted;
    }

    [Fact]
    public async Task AManagerDeactivatedWhileTakingUpAReview_TakesUpNothing()
    {
        var manager = await ChannelManagerAsync("race.takeup");
        var waiting = await InTheSharedQueueAsync("Take Up Race Ltd");
        _harness.BeforeCommit = async () =>
        {
            await DeactivateAsync(manager);
            _harness.User.Is(manager.Id, Roles.ChannelManager);
        };
        _harness.User.Is(manager.Id, Roles.ChannelManager);

        var takeUp = () => _harness.Send(new StartReview(waiting.Id));

        // Lost at its commit, the take-up is decided again and meets the deactivation.
        await takeUp.Should().ThrowAsync<ForbiddenException>();
        AsAdmin();
        (await _harness.Send(new GetRegistration(waiting.Id))).ReviewerId.Should().BeNull();
    }

    [Fact]
    public async Task AManagerTakingUpAReviewWhileDeactivated_RefusesTheDeactivation_WhichReadAgainSendsTheReviewBack()
    {
        var manager = await ChannelManagerAsync("race.deactivating");
        var waiting = await InTheSharedQueueAsync("Deactivation Race Ltd");
        _harness.BeforeCommit = async () =>
        {
            _harness.User.Is(manager.Id, Roles.ChannelManager);
            (await _harness.Send(new StartReview(waiting.Id))).ReviewerId.Should().Be(manager.Id);
            AsAdmin();
        };

        var deactivate = () => DeactivateAsync(manager);

        await deactivate.Should().ThrowAsync<PreconditionFailedException>();
        AsAdmin();
        var current = await _harness.Send(new GetUser(manager.Id));
        current.IsActive.Should().BeTrue();
        await DeactivateAsync(current);
        AsAdmin();
        (await _harness.Send(new GetRegistration(waiting.Id))).ReviewerId.Should().BeNull("the deactivation sends the review it took up back to the shared queue");
    }

    /// <summary>A direct opportunity and a partner's registration on one customer; the case awards the direct one.</summary>
    private async Task<(OpportunityDto Direct, Guid Case)> DirectAwardedAsync(string name, Guid? arbiter = null)
    {
        var domain = name.ToLowerInvariant().Replace(' ', '-') + ".com";
        var close = DateOnly.FromDateTime(_harness.Time.GetUtcNow().UtcDateTime).AddDays(60);
        _harness.User.Is(DemoProgramme.Rep, Roles.Rep);
        var direct = await _harness.Send(new CreateOpportunity(new CustomerInput(name, domain, "US"), new ContactInput("Dana Buyer", "dana@" + domain, null), new MoneyInput(250_000m, "USD"), close, null, null));
        _harness.User.Is(DemoProgramme.FabrikamUser, Roles.Partner, DemoProgramme.Fabrikam);
        var draft = await _harness.Send(new CreateRegistration(new CustomerInput(name, domain, "US"), ["Security"], new MoneyInput(50_000m, "USD"), close, null));
        (await _harness.Send(new SubmitRegistration(draft.Id))).Status.Should().Be(RegistrationStatus.InConflict);
        var caseId = (await _harness.InScope(sp => sp.GetRequiredService<IOpenConflictFinder>().FindBindingAsync([draft.Id], CancellationToken.None)))!.Value;
        if (arbiter is { } assigned)
        {
            AsAdmin();
            await _harness.Send(new AssignConflict(caseId, assigned));
        }

        _harness.User.Is(arbiter ?? DemoProgramme.Arbiter, Roles.Arbiter);
        await _harness.Send(new DecideConflict(caseId, DecisionKind.Award, direct.Id, "The direct team was engaged first."));
        _harness.User.Is(DemoProgramme.Rep, Roles.Rep);
        return (await _harness.Send(new GetOpportunity(direct.Id)), caseId);
    }

    private Task<OpportunityDto> WinAsync(OpportunityDto deal)
    {
        _harness.User.Is(DemoProgramme.Rep, Roles.Rep);
        return _harness.Send(new UpdateOpportunity(deal.Id, OpportunityStage.ClosedWon, null, null, null, null, null, deal.Version));
    }

    private Task<ConflictDto> ReopenAsync(Guid caseId)
    {
        AsAdmin();
        return _harness.Send(new ReopenConflict(caseId, "Fabrikam objects."));
    }

    [Fact]
    public async Task ADealWonWhileItsCaseIsReopened_IsRefused()
    {
        var (direct, caseId) = await DirectAwardedAsync("Won During Reopen");
        _harness.BeforeCommit = async () => await ReopenAsync(caseId);

        var win = () => WinAsync(direct);

        (await win.Should().ThrowAsync<DomainException>()).Which.Code.Should().Be("conflict.changed");
        _harness.User.Is(DemoProgramme.Rep, Roles.Rep);
        (await _harness.Send(new GetOpportunity(direct.Id))).Stage.Should().NotBe(OpportunityStage.ClosedWon);
    }

    [Fact]
    public async Task ACaseReopenedWhileItsDealIsWon_IsRefused()
    {
        var (direct, caseId) = await DirectAwardedAsync("Reopened During Win");
        _harness.BeforeCommit = async () => await WinAsync(direct);

        var reopen = () => ReopenAsync(caseId);

        (await reopen.Should().ThrowAsync<DomainException>()).Which.Code.Should().Be("opportunity.changed");
        AsAdmin();
        (await _harness.Send(new GetConflict(caseId))).Status.Should().Be(ConflictStatus.Decided);
    }

    [Fact]
    public async Task RenamingAPartnerUnderTheManagerItHas_LeavesTheManagerAlone()
    {
        var manager = await ChannelManagerAsync("race.unchanged");
        var partner = await PartnerManagedByAsync("Kept Manager SARL", manager.Id);
        AsAdmin();
        var before = (await _harness.Send(new GetUser(manager.Id))).Version;

        AsAdmin();
        await _harness.Send(new UpdatePartner(partner.Id, "Kept Manager SAS", null, null, manager.Id, null, partner.Version));

        AsAdmin();
        (await _harness.Send(new GetUser(manager.Id))).Version.Should().Be(before, "naming the manager a partner has is no new assignment");
    }

    [Fact]
    public async Task TwoUsersWhoseNamesDifferOnlyInCase_CannotBothBeAdded_EvenAtOnce()
    {
        _harness.BeforeCommit = async () => await ChannelManagerAsync("RACE.CASE");

        var second = () => ChannelManagerAsync("race.case");

        (await second.Should().ThrowAsync<DomainException>()).Which.Code.Should().Be("conflict.already_exists");
    }

    [Fact]
    public async Task ACaseReopenedWhileItsArbiterIsDeactivated_IsRefused_AndTheRetryFindsAnotherArbiter()
    {
        AsAdmin();
        var arbiter = await _harness.Send(new CreateUser(Guid.NewGuid(), "race.arbiter", "Race Arbiter", Roles.Arbiter, null));
        var (_, caseId) = await DirectAwardedAsync("Arbiter Leaves During Reopen", arbiter.Id);
        AsAdmin();
        var decider = await _harness.Send(new GetUser(arbiter.Id));
        _harness.BeforeCommit = async () => await DeactivateAsync(decider);

        var reopen = () => ReopenAsync(caseId);

        (await reopen.Should().ThrowAsync<DomainException>()).Which.Code.Should().Be("user.changed");
        (await ReopenAsync(caseId)).ArbiterId.Should().Be(DemoProgramme.Arbiter, "the retry finds the arbiter gone and gives the case to an active one");
    }

    [Fact]
    public async Task AnArbiterDeactivatedWhileItsCaseIsReopened_RefusesTheDeactivation_WhichReadAgainMeetsTheOpenCase()
    {
        AsAdmin();
        var arbiter = await _harness.Send(new CreateUser(Guid.NewGuid(), "race.reopened", "Race Arbiter", Roles.Arbiter, null));
        var (_, caseId) = await DirectAwardedAsync("Reopened During Deactivation", arbiter.Id);
        AsAdmin();
        var decider = await _harness.Send(new GetUser(arbiter.Id));
        _harness.BeforeCommit = async () => await ReopenAsync(caseId);

        var deactivate = () => DeactivateAsync(decider);

        // The deactivation read no open case of the arbiter's; the reopening gave it one and moved its version on, past
        // the version the deactivation's If-Match named.
        await deactivate.Should().ThrowAsync<PreconditionFailedException>();
        AsAdmin();
        (await _harness.Send(new GetUser(arbiter.Id))).IsActive.Should().BeTrue();
        AsAdmin();
        (await _harness.Send(new GetConflict(caseId))).ArbiterId.Should().Be(arbiter.Id);
        AsAdmin();
        var again = await _harness.Send(new GetUser(arbiter.Id));
        (await FluentActions.Awaiting(() => DeactivateAsync(again)).Should().ThrowAsync<DomainException>()).Which.Code.Should().Be("user.still_assigned");
    }

    [Fact]
    public async Task AnArbiterDeactivatedWhileAnAdminAssignsItACase_RefusesTheDeactivation()
    {
        AsAdmin();
        var arbiter = await _harness.Send(new CreateUser(Guid.NewGuid(), "race.assigned.arbiter", "Race Arbiter", Roles.Arbiter, null));
        var (_, caseId) = await DirectAwardedAsync("Assigned During Deactivation");
        await ReopenAsync(caseId);
        AsAdmin();
        var read = await _harness.Send(new GetUser(arbiter.Id));
        _harness.BeforeCommit = async () =>
        {
            AsAdmin();
            await _harness.Send(new AssignConflict(caseId, arbiter.Id));
        };

        var deactivate = () => DeactivateAsync(read);

        await deactivate.Should().ThrowAsync<PreconditionFailedException>();
        AsAdmin();
        (await _harness.Send(new GetUser(arbiter.Id))).IsActive.Should().BeTrue();
    }

    [Fact]
    public async Task AnArbiterDeactivatedWhileACaseIsOpenedByHandForIt_RefusesTheDeactivation()
    {
        AsAdmin();
        var arbiter = await _harness.Send(new CreateUser(Guid.NewGuid(), "aa.race.opened", "Race Arbiter", Roles.Arbiter, null));
        var first = await InTheSharedQueueAsync("Opened By Hand Ltd");
        var second = await InTheSharedQueueAsync("Named By Hand Ltd");
        AsAdmin();
        var read = await _harness.Send(new GetUser(arbiter.Id));
        Guid? assigned = null;
        _harness.BeforeCommit = async () =>
        {
            _harness.BeforeCommit = null;
            AsAdmin();
            assigned = (await _harness.Send(new OpenConflict(first.Id, [second.Id]))).ArbiterId;
        };

        var deactivate = () => DeactivateAsync(read);

        await deactivate.Should().ThrowAsync<PreconditionFailedException>();
        assigned.Should().Be(arbiter.Id);
        AsAdmin();
        (await _harness.Send(new GetUser(arbiter.Id))).IsActive.Should().BeTrue();
    }

    [Fact]
    public async Task ADirectDealClosedWhileASubmissionBindsItIntoACase_IsRefused()
    {
        var close = DateOnly.FromDateTime(_harness.Time.GetUtcNow().UtcDateTime).AddDays(60);
        _harness.User.Is(DemoProgramme.Rep, Roles.Rep);
        var direct = await _harness.Send(new CreateOpportunity(new CustomerInput("Bound While Won", "bound-while-won.com", "US"), new ContactInput("Dana Buyer", "dana@bound-while-won.com", null), new MoneyInput(250_000m, "USD"), close, null, null));
        _harness.BeforeCommit = async () =>
        {
            _harness.User.Is(DemoProgramme.FabrikamUser, Roles.Partner, DemoProgramme.Fabrikam);
            var draft = await _harness.Send(new CreateRegistration(new CustomerInput("Bound While Won", "bound-while-won.com", "US"), ["Security"], new MoneyInput(50_000m, "USD"), close, null));
            (await _harness.Send(new SubmitRegistration(draft.Id))).Status.Should().Be(RegistrationStatus.InConflict);
            _harness.User.Is(DemoProgramme.Rep, Roles.Rep);
        };

        var win = () => _harness.Send(new UpdateOpportunity(direct.Id, OpportunityStage.ClosedWon, null, null, null, null, null, direct.Version));

        await win.Should().ThrowAsync<PreconditionFailedException>("the case bound the deal as it was read, and moved it on");
        _harness.User.Is(DemoProgramme.Rep, Roles.Rep);
        (await _harness.Send(new GetOpportunity(direct.Id))).Stage.Should().Be(OpportunityStage.Qualify);
    }
}
