using System.Globalization;
using CoSell.Domain.Customers;
using CoSell.Domain.Partners;
using CoSell.Domain.Referrals;
using CoSell.Domain.Registrations;
using CoSell.Domain.SeedWork;
using RulesOfEngagement = CoSell.Domain.Rules.RulesOfEngagement;
using static CoSell.Domain.SeedWork.TimelineText;

namespace CoSell.Domain.Opportunities;

/// <summary>
/// A deal the vendor's direct rep works, alone or with partners. Its timeline is the audit trail of its
/// events: every stage and field change, every invitation and every note.
/// </summary>
public sealed class Opportunity : AggregateRoot
{
    public const int MaximumNoteLength = 4000;
    public const int MaximumNextStepLength = 500;
    public const int MaximumMessageLength = 2000;

    private List<Participant> _participants = [];

    private Opportunity()
    {
        Customer = null!;
        Amount = null!;
        Source = null!;
        CreatedBy = string.Empty;
    }

    public Customer Customer { get; private set; }

    /// <summary>The person at the customer; a partner sees it only once it has accepted.</summary>
    public CustomerContact? Contact { get; private set; }

    public OpportunityStage Stage { get; private set; }

    public Money Amount { get; private set; }

    public DateOnly CloseDate { get; private set; }

    public string? NextStep { get; private set; }

    /// <summary>The direct rep who owns the opportunity.</summary>
    public Guid OwnerId { get; private set; }

    public OpportunitySource Source { get; private set; }

    public IReadOnlyList<Participant> Participants => _participants;

    public string CreatedBy { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    public bool IsOpen => OpportunityStages.IsOpen(Stage);

    /// <summary>Whether the deal still stands for its customer: open, or won. A lost one stands for nothing.</summary>
    public bool Stands => IsOpen || Stage == OpportunityStage.ClosedWon;

    /// <summary>A rep opens a direct opportunity: the vendor's own claim on the customer.</summary>
    public static Opportunity OpenDirect(
        Guid id, Customer customer, CustomerContact? contact, Money amount, DateOnly closeDate, string? nextStep, Guid ownerId, string actor, DateTimeOffset at) =>
        Open(id, customer, contact, amount, closeDate, nextStep, ownerId, OpportunitySource.Direct, null, actor, at);

    /// <summary>Opens the co-sell opportunity of an approved registration; its partner joins as the source.</summary>
    public static Opportunity FromRegistration(
        Guid id, DealRegistration registration, CustomerContact? contact, Money? amount, DateOnly? closeDate, string? nextStep, Guid ownerId, string actor, DateTimeOffset at)
    {
        if (registration.Status != RegistrationStatus.Approved)
        {
            throw new DomainException("opportunity.registration_not_approved", $"Only an approved registration becomes an opportunity; this one is {registration.Status}.");
        }

        return Open(id, registration.Customer, contact, amount ?? registration.EstimatedValue, closeDate ?? Later(registration.ExpectedCloseDate, at), nextStep, ownerId,
            OpportunitySource.Registration(registration.Id), registration.PartnerId, actor, at);
    }

    /// <summary>Opens the opportunity of an accepted partner-to-vendor referral; the referring partner joins as the source.</summary>
    public static Opportunity FromReferral(Guid id, Referral referral, Money? estimatedValue, DateOnly closeDate, string? nextStep, Guid ownerId, string actor, DateTimeOffset at)
    {
        referral.EnsureConvertible(ReferralConversion.Opportunity, at);

        // Named as the conversion names it: the referral's estimated value, or the one the conversion gives.
        var value = estimatedValue ?? referral.EstimatedValue
            ?? throw new DomainValidationException("referral.value_required", "estimatedValue", "The referral names no value: give the opportunity's estimated value.");
        return Open(id, referral.Customer, referral.Contact, value, closeDate, nextStep, ownerId, OpportunitySource.Referral(referral.Id), referral.PartnerId, actor, at);
    }

    /// <summary>
    /// Opens the opportunity a co-sell conflict decision creates. The awarded partner, if any, joins as
    /// the source; the decision then invites the other party through <see cref="Invite"/>. A registration's expected
    /// close date that passed while its case was decided becomes today, as a conversion does.
    /// </summary>
    public static Opportunity FromConflictDecision(
        Guid id, Guid conflictId, Customer customer, Money amount, DateOnly closeDate, Guid ownerId, Guid? awardedPartnerId, string arbiter, DateTimeOffset at) =>
        Open(id, customer, null, amount, Later(closeDate, at), null, ownerId, OpportunitySource.ConflictDecision(conflictId), awardedPartnerId, arbiter, at);

    public void MoveTo(OpportunityStage stage, string actor, DateTimeOffset at)
    {
        if (!Enum.IsDefined(stage))
        {
            throw new DomainValidationException("opportunity.stage_unknown", "stage", "Unknown stage.");
        }

        if (stage == Stage)
        {
            return;
        }

        if (!IsOpen)
        {
            throw Closed();
        }

        if (!OpportunityStages.CanMove(Stage, stage))
        {
            throw new DomainException("opportunity.illegal_stage_move",
                $"An opportunity in {Stage} cannot move to {stage}: it moves forward, one stage back, or closes.");
        }

        var from = Stage;
        if (!OpportunityStages.IsOpen(stage))
        {
            // One past its deadline expired then, unanswered, whatever the deal did since: it is written so first.
            ExpireInvitations(at);
        }

        Stage = stage;
        ClosedAt = IsOpen ? null : at;

        // A field changed or an invitation lapsed by the same change reads, at the version they share, the stage it leaves.
        RestampPending<OpportunityEvent>(e => e with { Stage = stage });
        Record("opportunity.stage_changed", $"Stage moved from {from} to {stage}.", actor, at);
        if (!IsOpen)
        {
            // An invitation to a closed deal can no longer be taken up: it lapses with the deal, and says so.
            foreach (var invitation in _participants.Where(p => p.Status == InvitationStatus.Pending).ToList())
            {
                invitation.Move(InvitationAction.Expire, at);
                Record("opportunity.invitation_expired", $"The invitation lapsed: the opportunity closed as {stage}.", actor, at, EventAudience.VendorAnd(invitation.PartnerId));
            }
        }
    }

    public void ChangeAmount(Money amount, string actor, DateTimeOffset at)
    {
        if (amount == Amount)
        {
            return;
        }

        EnsureOpen();
        var from = Amount;
        Amount = amount;
        Record("opportunity.amount_changed", $"Amount changed from {from} to {amount}.", actor, at);
    }

    public void Reschedule(DateOnly closeDate, string actor, DateTimeOffset at)
    {
        if (closeDate == CloseDate)
        {
            return;
        }

        EnsureOpen();
        CheckCloseDate(closeDate, CreatedAt, at);
        var from = CloseDate;
        CloseDate = closeDate;
        Record("opportunity.close_date_changed", $"Close date moved from {Date(from)} to {Date(closeDate)}.", actor, at);
    }

    public void PlanNextStep(string? nextStep, string actor, DateTimeOffset at)
    {
        var cleaned = CleanNextStep(nextStep);
        if (cleaned == NextStep)
        {
            return;
        }

        EnsureOpen();
        NextStep = cleaned;
        Record("opportunity.next_step_changed", cleaned is null ? "Next step cleared." : $"Next step: {cleaned}", actor, at);
    }

    public void AssignOwner(Guid ownerId, string actor, DateTimeOffset at)
    {
        if (ownerId == OwnerId)
        {
            return;
        }

        EnsureOpen();
        CheckOwner(ownerId);
        OwnerId = ownerId;
        Record(OpportunityEvents.OwnerChanged, $"Ownership passed to rep {ownerId}.", actor, at);
    }

    /// <summary>
    /// A conflict case now weighs this open direct deal against a partner's claim on the same customer. Nothing of the
    /// deal changes but the vendor's timeline and the version, which moves on so that a close or a change of owner read
    /// before the case opened does not commit beside it; the vendor's watchers get the version with the line.
    /// </summary>
    public void BindToConflict(string why, string actor, DateTimeOffset at)
    {
        EnsureOpen();
        Record(OpportunityEvents.ConflictBound, $"A conflict case now decides who holds this customer: {why} The deal is worked as before until the case is decided.", actor, at, EventAudience.Vendor);
    }

    /// <summary>Replaces the customer contact; the timeline says that it changed, never what it is.</summary>
    public void UpdateContact(CustomerContact contact, string actor, DateTimeOffset at)
    {
        if (contact == Contact)
        {
            return;
        }

        EnsureOpen();
        Contact = contact;
        Record("opportunity.contact_changed", "Customer contact updated.", actor, at);
    }

    /// <summary>Adds a note; a partner writes shared notes only, and only once it has accepted.</summary>
    public OpportunityNote AddNote(NoteVisibility visibility, string? body, string author, Guid? authorPartnerId, DateTimeOffset at)
    {
        if (!Enum.IsDefined(visibility))
        {
            throw new DomainValidationException("opportunity.note_visibility_unknown", "visibility", "A note is shared or internal.");
        }

        var text = body?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            throw new DomainValidationException("opportunity.note_empty", "body", "A note needs some text.");
        }

        if (text.Length > MaximumNoteLength)
        {
            throw new DomainValidationException("opportunity.note_too_long", "body", $"A note has at most {MaximumNoteLength} characters.");
        }

        if (authorPartnerId is { } partner)
        {
            if (visibility == NoteVisibility.Internal)
            {
                throw new DomainException("opportunity.internal_note_by_partner", "Internal notes are the vendor's; a partner writes shared notes.");
            }

            if (!HasAccepted(partner))
            {
                throw new DomainException("opportunity.not_a_participant", "Only a partner that accepted its invitation writes on this opportunity.");
            }
        }

        var note = new OpportunityNote(Guid.CreateVersion7(), Id, visibility, text, author, at);
        var audience = visibility == NoteVisibility.Internal ? EventAudience.Vendor : EventAudience.Everyone;
        UpdatedAt = at;
        Raise(new OpportunityNoteAdded(Id, note.Id, visibility, text, authorPartnerId,
            visibility == NoteVisibility.Internal ? "opportunity.internal_note_added" : "opportunity.note_added",
            text, author, at, audience, NextVersion));
        return note;
    }

    /// <summary>Invites a partner to co-sell (influence); the invitation expires after the rules' referral SLA.</summary>
    public Participant Invite(Partner partner, RulesOfEngagement rules, string? message, string actor, DateTimeOffset at)
    {
        EnsureOpen();
        if (!partner.IsActive)
        {
            throw new DomainException("partner.suspended", "A suspended partner cannot be invited.");
        }

        if (IsSeenBy(partner.Id, at))
        {
            throw new DomainException("opportunity.partner_already_participating", "This partner is already invited to or working on this opportunity.");
        }

        CheckLength(message, MaximumMessageLength, "message");
        // An invitation past its deadline lapses now, as the expiry service would write it: the partner is invited afresh.
        ExpireInvitations(at, partner.Id);
        var invitation = Participant.Invited(Guid.CreateVersion7(), Id, partner.Id, FreeText.Clean(message), actor, at, at.AddHours(rules.ReferralAcceptSlaHours));
        _participants.Add(invitation);
        Record("opportunity.partner_invited",
            $"Invited {partner.Name} to co-sell ({ParticipantRole.Influenced}); the invitation expires at {Instant(invitation.RespondBy!.Value)}.",
            actor, at, EventAudience.VendorAnd(partner.Id));
        return invitation;
    }

    /// <summary>
    /// Refuses an answer to an invitation that cannot take it, before anything of the opportunity is looked at: a partner
    /// whose invitation was rejected, lapsed or ended, or is past its deadline though not yet written as lapsed, is not on
    /// the deal (<see cref="IsSeenBy"/>), and its answer tells it nothing of the deal's version or stage.
    /// </summary>
    public void EnsureAnswerable(Guid invitationId, InvitationAction answer, DateTimeOffset at)
    {
        var invitation = Invitation(invitationId);
        invitation.EnsureCan(answer);
        CheckNotOverdue(invitation, at);
    }

    public void AcceptInvitation(Guid invitationId, string actor, DateTimeOffset at)
    {
        var invitation = Invitation(invitationId);
        EnsureOpen();
        CheckNotOverdue(invitation, at);
        invitation.Move(InvitationAction.Accept, at);
        Record("opportunity.invitation_accepted", "The partner accepted the invitation to co-sell.", actor, at, EventAudience.VendorAnd(invitation.PartnerId));
    }

    public void RejectInvitation(Guid invitationId, string? reason, string actor, DateTimeOffset at)
    {
        var invitation = Invitation(invitationId);
        var text = reason?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            throw new DomainValidationException("invitation.reason_required", "reason", "Say why the invitation is rejected.");
        }

        CheckLength(text, MaximumMessageLength, "reason");
        CheckNotOverdue(invitation, at);
        invitation.Move(InvitationAction.Reject, at, text);
        Record("opportunity.invitation_rejected", $"The partner rejected the invitation: {text}", actor, at, EventAudience.VendorAnd(invitation.PartnerId));
    }

    /// <summary>
    /// Ends the given partners' part in the opportunity as invited partners, saying why: the reason they were invited is
    /// gone (a reopened conflict case decided again without them). A pending invitation lapses; an accepted one ends, so
    /// the partner neither reads nor works the deal any more. A partner that sourced the deal keeps it.
    /// </summary>
    public void EndParticipationsOf(IReadOnlySet<Guid> partnerIds, string why, string actor, DateTimeOffset at)
    {
        foreach (var partnerId in partnerIds)
        {
            ExpireInvitations(at, partnerId);
        }

        foreach (var invitation in _participants.Where(p => p.Role == ParticipantRole.Influenced && partnerIds.Contains(p.PartnerId)).ToList())
        {
            if (invitation.Status == InvitationStatus.Pending)
            {
                invitation.Move(InvitationAction.Expire, at);
                Record("opportunity.invitation_expired", $"The invitation lapsed: {why}", actor, at, EventAudience.VendorAnd(invitation.PartnerId));
            }
            else if (invitation.Status == InvitationStatus.Accepted)
            {
                invitation.Move(InvitationAction.End, at);
                Record(OpportunityEvents.ParticipationEnded, $"The partner no longer co-sells this opportunity: {why}", actor, at, EventAudience.VendorAnd(invitation.PartnerId));
            }
        }
    }

    /// <summary>
    /// Expires every pending invitation (of one partner, if named) whose reply was due by <paramref name="at"/>. The vendor
    /// alone hears of it: the partner has been off the deal since the deadline its invitation named, and the event carries
    /// the deal's stage and version as they are now.
    /// </summary>
    public int ExpireInvitations(DateTimeOffset at, Guid? partnerId = null)
    {
        var due = _participants.Where(p => p.Status == InvitationStatus.Pending && p.RespondBy <= at && (partnerId is null || p.PartnerId == partnerId)).ToList();
        foreach (var invitation in due)
        {
            invitation.Move(InvitationAction.Expire, at);
            Record("opportunity.invitation_expired", $"The invitation expired unanswered at {Instant(invitation.RespondBy!.Value)}.", Actors.System, at, EventAudience.Vendor);
        }

        return due.Count;
    }

    /// <summary>Whether the partner is this opportunity's live source.</summary>
    public bool IsSourcedBy(Guid partnerId) => _participants.Any(p => p.PartnerId == partnerId && p.Role == ParticipantRole.Sourced && p.IsActive);

    /// <summary>Whether the partner sees this opportunity at the instant (<see cref="Participant.IsActiveAt"/>).</summary>
    public bool IsSeenBy(Guid partnerId, DateTimeOffset at) => _participants.Any(p => p.PartnerId == partnerId && p.IsActiveAt(at));

    public bool HasAccepted(Guid partnerId) => _participants.Any(p => p.PartnerId == partnerId && p.Status == InvitationStatus.Accepted);

    private static Opportunity Open(
        Guid id, Customer customer, CustomerContact? contact, Money amount, DateOnly closeDate, string? nextStep, Guid ownerId, OpportunitySource source, Guid? sourcePartnerId, string actor, DateTimeOffset at)
    {
        CheckOwner(ownerId);
        CheckCloseDate(closeDate, at, at);
        var opportunity = new Opportunity
        {
            Id = id,
            Customer = customer,
            Contact = contact,
            Stage = OpportunityStage.Qualify,
            Amount = amount,
            CloseDate = closeDate,
            NextStep = CleanNextStep(nextStep),
            OwnerId = ownerId,
            Source = source,
            CreatedBy = actor,
            CreatedAt = at,
        };
        opportunity.Record("opportunity.created",
            $"Opportunity for {customer.Name} ({customer.Country}) worth {amount}, closing {Date(closeDate)}; source: {Describe(source.Kind)}.", actor, at);
        if (sourcePartnerId is { } partner)
        {
            opportunity._participants.Add(Participant.Source(Guid.CreateVersion7(), id, partner, actor, at));
            opportunity.Record("opportunity.partner_joined", "The partner joined as the deal's source.", actor, at, EventAudience.VendorAnd(partner));
        }

        return opportunity;
    }

    private Participant Invitation(Guid invitationId) =>
        _participants.FirstOrDefault(p => p.Id == invitationId)
        ?? throw new DomainException("invitation.unknown", "This opportunity has no such invitation.");

    private static void CheckNotOverdue(Participant invitation, DateTimeOffset at)
    {
        if (invitation.Status == InvitationStatus.Pending && invitation.RespondBy <= at)
        {
            throw new DomainException("invitation.expired", $"This invitation expired at {Instant(invitation.RespondBy!.Value)}.");
        }
    }

    private void EnsureOpen()
    {
        if (!IsOpen)
        {
            throw Closed();
        }
    }

    // Notes may still be written on a closed deal (what was learnt, for the record); its stage, fields and participants stay as they closed.
    private DomainException Closed() => new("opportunity.closed", $"This opportunity is {Stage}: a closed opportunity's stage, fields and participants do not change.");

    /// <summary>The version the aggregate will carry once this unit of work's first event is raised.</summary>
    private long NextVersion => DomainEvents.Count == 0 ? Version + 1 : Version;

    private void Record(string type, string summary, string actor, DateTimeOffset at, EventAudience? audience = null)
    {
        UpdatedAt = at;
        Raise(new OpportunityEvent(Id, type, summary, actor, at, audience ?? EventAudience.Everyone, NextVersion, Stage));
    }

    private static void CheckOwner(Guid ownerId)
    {
        if (ownerId == Guid.Empty)
        {
            throw new DomainValidationException("opportunity.owner_required", "ownerId", "An opportunity is owned by a direct rep.");
        }
    }

    private static void CheckCloseDate(DateOnly closeDate, DateTimeOffset createdAt, DateTimeOffset at)
    {
        var earliest = DateOnly.FromDateTime(createdAt.UtcDateTime);
        var latest = DateOnly.FromDateTime(at.UtcDateTime).AddYears(5);
        if (closeDate < earliest || closeDate > latest)
        {
            throw new DomainValidationException("opportunity.close_date_invalid", "closeDate",
                "The close date lies between the day the opportunity was opened and five years from now.");
        }
    }

    private static string? CleanNextStep(string? nextStep)
    {
        CheckLength(nextStep, MaximumNextStepLength, "nextStep");
        return FreeText.Clean(nextStep);
    }

    private static DateOnly Later(DateOnly date, DateTimeOffset at)
    {
        var today = DateOnly.FromDateTime(at.UtcDateTime);
        return date < today ? today : date;
    }

    private static void CheckLength(string? text, int max, string field) => FreeText.CheckLength(text, max, "opportunity.text_too_long", field);

    private static string Describe(OpportunitySourceKind kind) => kind switch
    {
        OpportunitySourceKind.Direct => "direct",
        OpportunitySourceKind.Registration => "an approved registration",
        OpportunitySourceKind.Referral => "a referral",
        OpportunitySourceKind.ConflictDecision => "a co-sell conflict decision",
        _ => kind.ToString(),
    };
}
