using CoSell.Domain.Opportunities;
using CoSell.Domain.Registrations;
using CoSell.Domain.SeedWork;

namespace CoSell.Domain.Tests.Opportunities;

public sealed class OpportunityTests
{
    private static Opportunity Direct() =>
        Opportunity.OpenDirect(Guid.NewGuid(), TestData.Customer(), TestData.Contact, TestData.Usd(50_000), TestData.InDays(30), "Call", TestData.Rep, "rep", TestData.Now);

    [Fact]
    public void OpenDirect_StartsInQualify_AsVersionOne_WithACreatedEvent()
    {
        var opportunity = Direct();

        opportunity.Stage.Should().Be(OpportunityStage.Qualify);
        opportunity.Source.Should().Be(OpportunitySource.Direct);
        opportunity.Version.Should().Be(1);
        opportunity.DomainEvents.Should().ContainSingle().Which.Should().BeOfType<OpportunityEvent>().Which.Version.Should().Be(1);
    }

    [Fact]
    public void EveryFieldChange_IsItsOwnEvent_AndOneUnitOfWorkMovesTheVersionOnce()
    {
        var opportunity = Direct();
        opportunity.ClearDomainEvents();

        opportunity.ChangeAmount(TestData.Usd(60_000), "rep", TestData.Now);
        opportunity.Reschedule(TestData.InDays(40), "rep", TestData.Now);
        opportunity.PlanNextStep("Demo", "rep", TestData.Now);
        opportunity.AssignOwner(Guid.NewGuid(), "manager", TestData.Now);
        opportunity.UpdateContact(CoSell.Domain.Customers.CustomerContact.Create("Sam Sponsor", null, "+1 555 0100"), "rep", TestData.Now);
        opportunity.ChangeAmount(TestData.Usd(60_000), "rep", TestData.Now);

        opportunity.DomainEvents.Select(e => e.Type).Should().Equal(
            "opportunity.amount_changed", "opportunity.close_date_changed", "opportunity.next_step_changed", "opportunity.owner_changed", "opportunity.contact_changed");
        opportunity.DomainEvents.OfType<OpportunityEvent>().Select(e => e.Version).Should().AllBeEquivalentTo(2L);
        opportunity.Version.Should().Be(2);
        opportunity.DomainEvents.Single(e => e.Type == "opportunity.contact_changed").Summary.Should().NotContain("Sam").And.NotContain("555");
    }

    [Fact]
    public void ClosedOpportunity_RefusesFieldChangesAndInvitations_ButTakesNotes()
    {
        var opportunity = Direct();
        opportunity.MoveTo(OpportunityStage.ClosedLost, "rep", TestData.Now);

        FluentActions.Invoking(() => opportunity.ChangeAmount(TestData.Usd(1), "rep", TestData.Now)).Should().Throw<DomainException>().Which.Code.Should().Be("opportunity.closed");
        FluentActions.Invoking(() => opportunity.Invite(TestData.Partner(), TestData.Rules, null, "rep", TestData.Now)).Should().Throw<DomainException>().Which.Code.Should().Be("opportunity.closed");
        opportunity.AddNote(NoteVisibility.Shared, "Lost on price.", "rep", null, TestData.Now).Body.Should().Be("Lost on price.");
    }

    [Fact]
    public void ANoteOfNoKnownVisibility_IsRefused_NamingTheVisibilitiesAsTheApiWritesThem() =>
        FluentActions.Invoking(() => Direct().AddNote((NoteVisibility)7, "Hi", "rep", null, TestData.Now))
            .Should().Throw<DomainValidationException>().Which.Message.Should().Be("A note is shared or internal.");

    [Fact]
    public void Notes_HaveASizeLimit_AndInternalNotesAreForTheVendorOnly()
    {
        var opportunity = Direct();
        var partner = TestData.Partner();
        var invitation = opportunity.Invite(partner, TestData.Rules, null, "rep", TestData.Now);

        FluentActions.Invoking(() => opportunity.AddNote(NoteVisibility.Shared, new string('x', Opportunity.MaximumNoteLength + 1), "rep", null, TestData.Now))
            .Should().Throw<DomainValidationException>().Which.Code.Should().Be("opportunity.note_too_long");
        FluentActions.Invoking(() => opportunity.AddNote(NoteVisibility.Shared, "Hi", "p", partner.Id, TestData.Now))
            .Should().Throw<DomainException>().Which.Code.Should().Be("opportunity.not_a_participant");
        opportunity.AcceptInvitation(invitation.Id, "p", TestData.Now);
        FluentActions.Invoking(() => opportunity.AddNote(NoteVisibility.Internal, "Psst", "p", partner.Id, TestData.Now))
            .Should().Throw<DomainException>().Which.Code.Should().Be("opportunity.internal_note_by_partner");

        opportunity.AddNote(NoteVisibility.Internal, "Floor price 40k", "rep", null, TestData.Now);
        var internalNote = opportunity.DomainEvents.OfType<OpportunityNoteAdded>().Last();
        internalNote.Audience.Should().Be(EventAudience.Vendor);
        internalNote.Type.Should().Be("opportunity.internal_note_added");
        opportunity.AddNote(NoteVisibility.Shared, new string('x', Opportunity.MaximumNoteLength), "p", partner.Id, TestData.Now)
            .Visibility.Should().Be(NoteVisibility.Shared);
    }

    [Fact]
    public void APartnerWhoseInvitationIsPastItsDeadline_IsInvitedAfresh_TheOldInvitationLapsingFirst()
    {
        var opportunity = Direct();
        var partner = TestData.Partner();
        var first = opportunity.Invite(partner, TestData.Rules, null, "rep", TestData.Now);
        FluentActions.Invoking(() => opportunity.Invite(partner, TestData.Rules, null, "rep", TestData.Now.AddHours(47))).Should().Throw<DomainException>()
            .Which.Code.Should().Be("opportunity.partner_already_participating");

        var second = opportunity.Invite(partner, TestData.Rules, "Once more", "rep", TestData.Now.AddHours(49));

        first.Status.Should().Be(InvitationStatus.Expired);
        second.Status.Should().Be(InvitationStatus.Pending);
        opportunity.DomainEvents.TakeLast(2).Select(e => e.Type).Should().Equal("opportunity.invitation_expired", "opportunity.partner_invited");
    }

    // Before, a deal closed after an invitation's deadline (the expiry service not yet run) lapsed it "as the opportunity
    // closed as ClosedWon", told to that partner, which had been off the deal since its deadline.
    [Fact]
    public void ADealClosedPastAnInvitationsDeadline_WritesItExpiredThen_ForTheVendorAlone_AndLapsesTheLiveOneWithTheDeal()
    {
        var opportunity = Direct();
        var late = TestData.Partner();
        var live = TestData.Partner();
        opportunity.Invite(late, TestData.Rules, null, "rep", TestData.Now);
        opportunity.Invite(live, TestData.Rules, null, "rep", TestData.Now.AddHours(40));
        opportunity.ClearDomainEvents();

        opportunity.MoveTo(OpportunityStage.ClosedWon, "rep", TestData.Now.AddHours(49));

        var events = opportunity.DomainEvents.OfType<OpportunityEvent>().ToList();
        events.Select(e => (e.Type, e.Audience)).Should().Equal(
            ("opportunity.invitation_expired", EventAudience.Vendor),
            ("opportunity.stage_changed", EventAudience.Everyone),
            ("opportunity.invitation_expired", EventAudience.VendorAnd(live.Id)));
        events[0].Summary.Should().Be($"The invitation expired unanswered at {TestData.Now.AddHours(48):yyyy-MM-ddTHH:mm:ss.FFFFFFFZ}.");
        events[2].Summary.Should().Be("The invitation lapsed: the opportunity closed as ClosedWon.");
        events.Should().NotContain(e => e.Audience == EventAudience.VendorAnd(late.Id), "that partner learns nothing of the deal after its deadline");
    }

    [Fact]
    public void AnInvitationExpiredByTheService_IsToldToTheVendorAlone()
    {
        var opportunity = Direct();
        var partner = TestData.Partner();
        opportunity.Invite(partner, TestData.Rules, null, "rep", TestData.Now);
        opportunity.MoveTo(OpportunityStage.Negotiate, "rep", TestData.Now.AddHours(49));
        opportunity.ClearDomainEvents();

        opportunity.ExpireInvitations(TestData.Now.AddHours(50)).Should().Be(1);

        opportunity.DomainEvents.OfType<OpportunityEvent>().Should().ContainSingle()
            .Which.Audience.Should().Be(EventAudience.Vendor, "the event carries the stage the deal moved to after the partner's deadline");
    }

    [Fact]
    public void Invitation_ExpiresAfterTheRulesReferralSla_AndEventsAboutItAreForThatPartnerAndTheVendor()
    {
        var opportunity = Direct();
        var partner = TestData.Partner();
        var invitation = opportunity.Invite(partner, TestData.Rules, "Join us", "rep", TestData.Now);

        invitation.RespondBy.Should().Be(TestData.Now.AddHours(48));
        invitation.Role.Should().Be(ParticipantRole.Influenced);
        opportunity.DomainEvents[^1].Audience.Should().Be(EventAudience.VendorAnd(partner.Id));
        FluentActions.Invoking(() => opportunity.Invite(partner, TestData.Rules, null, "rep", TestData.Now)).Should().Throw<DomainException>()
            .Which.Code.Should().Be("opportunity.partner_already_participating");

        opportunity.ExpireInvitations(TestData.Now.AddHours(47)).Should().Be(0);
        opportunity.IsSeenBy(partner.Id, TestData.Now.AddHours(48).AddTicks(-1)).Should().BeTrue();
        opportunity.IsSeenBy(partner.Id, TestData.Now.AddHours(48)).Should().BeFalse("the deadline has come, though the invitation is not yet written as lapsed");
        FluentActions.Invoking(() => opportunity.AcceptInvitation(invitation.Id, "p", TestData.Now.AddHours(48))).Should().Throw<DomainException>()
            .Which.Code.Should().Be("invitation.expired");
        opportunity.ExpireInvitations(TestData.Now.AddHours(48)).Should().Be(1);
        invitation.Status.Should().Be(InvitationStatus.Expired);
        opportunity.Participants.Should().NotContain(p => p.PartnerId == partner.Id && p.IsActive);
        opportunity.Invite(partner, TestData.Rules, null, "rep", TestData.Now.AddHours(49)).Id.Should().NotBe(invitation.Id);
    }

    public static TheoryData<InvitationStatus, InvitationAction> InvitationMoves()
    {
        var data = new TheoryData<InvitationStatus, InvitationAction>();
        foreach (var status in Enum.GetValues<InvitationStatus>())
        {
            foreach (var action in Enum.GetValues<InvitationAction>())
            {
                data.Add(status, action);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(InvitationMoves))]
    public void Invitation_EveryStatusAndAction_FollowsTheTable(InvitationStatus status, InvitationAction action)
    {
        var opportunity = Direct();
        var invitation = opportunity.Invite(TestData.Partner(), TestData.Rules, null, "rep", TestData.Now);
        Bring(opportunity, invitation, status);
        var allowed = InvitationLifecycle.TryMove(status, action, out var expected);
        var at = action == InvitationAction.Expire ? TestData.Now.AddHours(48) : TestData.Now.AddHours(1);

        Action act = action switch
        {
            InvitationAction.Accept => () => opportunity.AcceptInvitation(invitation.Id, "p", at),
            InvitationAction.Reject => () => opportunity.RejectInvitation(invitation.Id, "No capacity", "p", at),
            InvitationAction.End => () => opportunity.EndParticipationsOf(new HashSet<Guid> { invitation.PartnerId }, "decided again", "arbiter", at),
            _ => () => opportunity.ExpireInvitations(at),
        };

        if (allowed)
        {
            act();
            invitation.Status.Should().Be(expected);
        }
        else if (action is InvitationAction.Expire or InvitationAction.End)
        {
            // Expiry sweeps only pending invitations, and ending a partner's part lapses a pending invitation and ends an
            // accepted one: for any other status either is no change.
            act();
            invitation.Status.Should().Be(action == InvitationAction.End && status == InvitationStatus.Pending ? InvitationStatus.Expired : status);
        }
        else
        {
            act.Should().Throw<DomainException>().Which.Code.Should().Be(status == InvitationStatus.Expired ? "invitation.expired" : "invitation.not_pending");
            invitation.Status.Should().Be(status);
        }

        InvitationLifecycle.AllowedMoves.Should().HaveCount(4);
    }

    [Fact]
    public void EndingPartnersParts_EndsAnAcceptedInvitation_LapsesAPendingOne_AndLeavesTheSourcingPartner()
    {
        var sourcing = TestData.Partner();
        var opportunity = Opportunity.FromConflictDecision(Guid.NewGuid(), Guid.NewGuid(), TestData.Customer(), TestData.Usd(50_000m), TestData.InDays(60), Guid.NewGuid(), sourcing.Id, "arbiter", TestData.Now);
        var (accepted, pending) = (TestData.Partner(), TestData.Partner());
        var acceptedInvitation = opportunity.Invite(accepted, TestData.Rules, null, "rep", TestData.Now);
        opportunity.AcceptInvitation(acceptedInvitation.Id, "p", TestData.Now);
        opportunity.Invite(pending, TestData.Rules, null, "rep", TestData.Now);
        opportunity.ClearDomainEvents();

        opportunity.EndParticipationsOf(new HashSet<Guid> { sourcing.Id, accepted.Id, pending.Id }, "the case was decided again.", "arbiter", TestData.Now.AddHours(1));

        opportunity.Participants.Should().NotContain(p => p.PartnerId == accepted.Id && p.IsActive);
        opportunity.Participants.Should().NotContain(p => p.PartnerId == pending.Id && p.IsActive);
        opportunity.IsSourcedBy(sourcing.Id).Should().BeTrue("the partner that sourced the deal keeps it");
        opportunity.DomainEvents.Cast<OpportunityEvent>().Select(e => (e.Type, e.Audience.PartnerId)).Should().BeEquivalentTo(
            [(OpportunityEvents.ParticipationEnded, (Guid?)accepted.Id), ("opportunity.invitation_expired", (Guid?)pending.Id)]);
        var reinvited = opportunity.Invite(accepted, TestData.Rules, null, "rep", TestData.Now.AddHours(2));
        reinvited.Id.Should().NotBe(acceptedInvitation.Id, "an ended part leaves the partner free to be invited again");
    }

    // Before, an ended participation and a lapsed invitation took the time they ended as respondedAt: the acceptance's
    // time was lost, and an invitation nobody answered read as answered.
    [Fact]
    public void AnInvitationsRespondedAt_IsWhenItsPartnerAnswered_KeptWhenItEnds_AndNoneWhenItLapsedUnanswered()
    {
        var opportunity = Direct();
        var (accepting, silent, late) = (TestData.Partner(), TestData.Partner(), TestData.Partner());
        var accepted = opportunity.Invite(accepting, TestData.Rules, null, "rep", TestData.Now);
        var unanswered = opportunity.Invite(silent, TestData.Rules, null, "rep", TestData.Now);
        opportunity.AcceptInvitation(accepted.Id, "p", TestData.Now.AddHours(1));

        opportunity.ExpireInvitations(TestData.Now.AddHours(48)).Should().Be(1);
        opportunity.EndParticipationsOf(new HashSet<Guid> { accepting.Id }, "decided again", "arbiter", TestData.Now.AddDays(3));
        var lapsedWithTheDeal = opportunity.Invite(late, TestData.Rules, null, "rep", TestData.Now.AddDays(3));
        opportunity.MoveTo(OpportunityStage.ClosedLost, "rep", TestData.Now.AddDays(4));

        (accepted.Status, accepted.RespondedAt).Should().Be((InvitationStatus.Ended, TestData.Now.AddHours(1)));
        (unanswered.Status, unanswered.RespondedAt).Should().Be((InvitationStatus.Expired, (DateTimeOffset?)null));
        (lapsedWithTheDeal.Status, lapsedWithTheDeal.RespondedAt).Should().Be((InvitationStatus.Expired, (DateTimeOffset?)null));
    }

    [Fact]
    public void RejectingAnInvitation_NeedsAReason()
    {
        var opportunity = Direct();
        var invitation = opportunity.Invite(TestData.Partner(), TestData.Rules, null, "rep", TestData.Now);

        FluentActions.Invoking(() => opportunity.RejectInvitation(invitation.Id, " ", "p", TestData.Now)).Should().Throw<DomainValidationException>()
            .Which.Code.Should().Be("invitation.reason_required");
        FluentActions.Invoking(() => opportunity.AcceptInvitation(Guid.NewGuid(), "p", TestData.Now)).Should().Throw<DomainException>()
            .Which.Code.Should().Be("invitation.unknown");
    }

    [Fact]
    public void FromRegistration_NeedsAnApprovedRegistration_AndItsPartnerJoinsAsTheSource()
    {
        var partner = TestData.Partner();
        var registration = DealRegistration.Draft(Guid.NewGuid(), partner.Id, "p", TestData.Customer("sourced.com"), ["Cloud"], TestData.Usd(80_000), TestData.InDays(30), null, TestData.Now);
        FluentActions.Invoking(() => Opportunity.FromRegistration(Guid.NewGuid(), registration, null, null, null, null, TestData.Rep, "rep", TestData.Now))
            .Should().Throw<DomainException>().Which.Code.Should().Be("opportunity.registration_not_approved");
        registration.Submit(partner, TestData.Rules, DuplicateAssessment.Clear, "p", TestData.Now);
        registration.Approve(TestData.Rules.For(partner.Tier), "manager", TestData.Now);

        var opportunity = Opportunity.FromRegistration(Guid.NewGuid(), registration, null, null, null, null, TestData.Rep, "rep", TestData.Now);

        opportunity.Source.Should().Be(OpportunitySource.Registration(registration.Id));
        opportunity.Amount.Should().Be(registration.EstimatedValue);
        opportunity.Customer.Should().Be(registration.Customer);
        var source = opportunity.Participants.Should().ContainSingle().Subject;
        (source.PartnerId, source.Role, source.Status).Should().Be((partner.Id, ParticipantRole.Sourced, InvitationStatus.Accepted));
        opportunity.DomainEvents.Select(e => e.Type).Should().Equal("opportunity.created", "opportunity.partner_joined");
    }

    [Fact]
    public void FromConflictDecision_RecordsTheConflictAsSource_AndCanInviteTheOtherParty()
    {
        var awarded = TestData.Partner("Awarded Partner");
        var other = TestData.Partner("Other Partner");
        var conflict = Guid.NewGuid();

        var opportunity = Opportunity.FromConflictDecision(Guid.NewGuid(), conflict, TestData.Customer(), TestData.Usd(70_000), TestData.InDays(60), TestData.Rep, awarded.Id, "arbiter", TestData.Now);
        opportunity.Invite(other, TestData.Rules, "Co-sell decision", "arbiter", TestData.Now);

        opportunity.Source.Should().Be(OpportunitySource.ConflictDecision(conflict));
        opportunity.HasAccepted(awarded.Id).Should().BeTrue();
        opportunity.Participants.Single(p => p.PartnerId == other.Id && p.IsActive).Status.Should().Be(InvitationStatus.Pending);
    }

    [Fact]
    public void CloseDate_LiesBetweenOpeningAndFiveYearsAhead()
    {
        FluentActions.Invoking(() => Opportunity.OpenDirect(Guid.NewGuid(), TestData.Customer(), null, TestData.Usd(1), TestData.InDays(-1), null, TestData.Rep, "rep", TestData.Now))
            .Should().Throw<DomainValidationException>().Which.Field.Should().Be("closeDate");
        FluentActions.Invoking(() => Opportunity.OpenDirect(Guid.NewGuid(), TestData.Customer(), null, TestData.Usd(1), TestData.InDays(30), null, Guid.Empty, "rep", TestData.Now))
            .Should().Throw<DomainValidationException>().Which.Field.Should().Be("ownerId");
    }

    private static void Bring(Opportunity opportunity, Participant invitation, InvitationStatus status)
    {
        switch (status)
        {
            case InvitationStatus.Accepted:
                opportunity.AcceptInvitation(invitation.Id, "p", TestData.Now);
                break;
            case InvitationStatus.Rejected:
                opportunity.RejectInvitation(invitation.Id, "No", "p", TestData.Now);
                break;
            case InvitationStatus.Expired:
                opportunity.ExpireInvitations(TestData.Now.AddHours(48));
                break;
            case InvitationStatus.Ended:
                opportunity.AcceptInvitation(invitation.Id, "p", TestData.Now);
                opportunity.EndParticipationsOf(new HashSet<Guid> { invitation.PartnerId }, "decided again", "arbiter", TestData.Now);
                break;
        }
    }
}
