using System.Globalization;
using CoSell.Domain.Customers;
using CoSell.Domain.Partners;
using CoSell.Domain.Rules;
using CoSell.Domain.SeedWork;
using static CoSell.Domain.SeedWork.TimelineText;

namespace CoSell.Domain.Registrations;

/// <summary>A partner's claim to a deal with one customer, from draft to won, lost or expired.</summary>
public sealed class DealRegistration : AggregateRoot
{
    public const int MaximumProductLines = 20;
    public const int MaximumProductLineLength = 100;
    public const int MaximumNotesLength = 4000;
    public const int MaximumMessageLength = 2000;

    private List<string> _productLines = [];

    // Where the registration stood when the changes not yet committed began, which each of their events carries; and
    // where it stood before a take-up, which begins them without an event of its own.
    private ReviewStanding _standingBefore;
    private ReviewStanding? _takenUpFrom;

    private DealRegistration()
    {
        Customer = null!;
        EstimatedValue = null!;
        RegisteredBy = string.Empty;
        Duplicate = DuplicateAssessment.Clear;
    }

    public Guid PartnerId { get; private set; }

    /// <summary>The user id of the partner user who registered the deal.</summary>
    public string RegisteredBy { get; private set; }

    public Customer Customer { get; private set; }

    public IReadOnlyList<string> ProductLines => _productLines;

    public Money EstimatedValue { get; private set; }

    public DateOnly ExpectedCloseDate { get; private set; }

    public string? Notes { get; private set; }

    public RegistrationStatus Status { get; private set; }

    /// <summary>The rules-of-engagement version the registration was judged under (set on submission).</summary>
    public int? RulesVersion { get; private set; }

    /// <summary>The partner's tier when the registration was submitted.</summary>
    public PartnerTier? Tier { get; private set; }

    /// <summary>The channel manager the registration is routed to.</summary>
    public Guid? ReviewerId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public DateTimeOffset? SubmittedAt { get; private set; }

    /// <summary>
    /// When the review of the last submission that waited for a reviewer is due; kept once the review is over (the queue
    /// reads on from it), so it is pending only while <see cref="AwaitsReview"/>.
    /// </summary>
    public DateTimeOffset? ReviewDueAt { get; private set; }

    /// <summary>Whether a channel manager still has to decide the registration (it is in a review queue).</summary>
    public bool AwaitsReview => RegistrationLifecycle.AwaitingReview.Contains(Status);

    public DateTimeOffset? DecidedAt { get; private set; }

    public DateTimeOffset? ProtectionEndsAt { get; private set; }

    public int ExtensionsUsed { get; private set; }

    public RejectionReason? RejectionReason { get; private set; }

    public LossReason? LossReason { get; private set; }

    /// <summary>The last message from the reviewer (returned for action) or the reviewer's comment.</summary>
    public string? ReviewerMessage { get; private set; }

    public DateTimeOffset? ClosedAt { get; private set; }

    public DuplicateAssessment Duplicate { get; private set; }

    public bool AutoApproved { get; private set; }

    /// <summary>The referral this registration was converted from, kept for attribution.</summary>
    public Guid? SourceReferralId { get; private set; }

    public static DealRegistration Draft(
        Guid id,
        Guid partnerId,
        string registeredBy,
        Customer customer,
        IEnumerable<string> productLines,
        Money estimatedValue,
        DateOnly expectedCloseDate,
        string? notes,
        DateTimeOffset at,
        Guid? sourceReferralId = null)
    {
        var registration = new DealRegistration
        {
            Id = id,
            PartnerId = partnerId,
            RegisteredBy = registeredBy,
            Status = RegistrationStatus.Draft,
            CreatedAt = at,
            SourceReferralId = sourceReferralId,
        };
        registration.SetTerms(customer, productLines, estimatedValue, expectedCloseDate, notes, at);
        var source = sourceReferralId is { } referral ? $" from referral {referral}" : string.Empty;
        registration.Record(new RegistrationEvent(id, partnerId, "registration.drafted", RegistrationStatus.Draft, RegistrationStatus.Draft,
            $"Draft registration for {customer.Name} ({customer.Country}) worth {estimatedValue}{source}.", registeredBy, at), reviewerBefore: null);
        return registration;
    }

    /// <param name="anotherCompany">
    /// The customer given is another company than the one submitted (the identity engine does not find them likely one):
    /// the registration claims it from now, not from its first submission, so that returning it for action lets no
    /// partner put its first submission's time on a customer a rival registered meanwhile.
    /// </param>
    public void Edit(Customer customer, IEnumerable<string> productLines, Money estimatedValue, DateOnly expectedCloseDate, string? notes, string actor, DateTimeOffset at, bool anotherCompany = false)
    {
        if (!RegistrationLifecycle.IsEditable(Status))
        {
            throw new DomainException("registration.not_editable", $"A registration can be edited only while Draft or ActionRequired; this one is {Status}.");
        }

        // An edit that changes nothing is no change: the version stays and the timeline says nothing.
        var before = (Customer, Lines: string.Join('\n', _productLines), EstimatedValue, ExpectedCloseDate, Notes, UpdatedAt);
        // A close date passed since it was set is judged when the registration is submitted again, not by an edit of
        // something else: the partner may fix what the reviewer asked for in any order.
        SetTerms(customer, productLines, estimatedValue, expectedCloseDate, notes, at, judgeCloseDate: expectedCloseDate != ExpectedCloseDate);
        if (before.Customer == Customer && before.Lines == string.Join('\n', _productLines) && before.EstimatedValue == EstimatedValue
            && before.ExpectedCloseDate == ExpectedCloseDate && before.Notes == Notes)
        {
            UpdatedAt = before.UpdatedAt;
            return;
        }

        var changed = Changed(before.Customer, before.Lines != string.Join('\n', _productLines), before.EstimatedValue != EstimatedValue, before.ExpectedCloseDate != ExpectedCloseDate, before.Notes != Notes);
        var claimedAnew = string.Empty;
        if (anotherCompany && SubmittedAt is not null && before.Customer != Customer)
        {
            SubmittedAt = at;
            claimedAnew = " Another company than the one submitted: this registration claims it from now.";
        }

        Record(new RegistrationEvent(Id, PartnerId, "registration.edited", Status, Status, $"Edited: {customer.Name} ({customer.Country}), {estimatedValue}, closing {Date(expectedCloseDate)}; changed: {changed}.{claimedAnew}", actor, at), ReviewerId);
    }

    /// <summary>What an edit changed, in words: the line says so even of what it does not show (a domain removed, the notes).</summary>
    private string Changed(Customer before, bool lines, bool value, bool closeDate, bool notes)
    {
        static string Identifier(string name, object? was, object? now) => now is null ? $"{name} (removed)" : was is null ? $"{name} (added)" : name;
        var changed = new List<string>();
        if (before.Name != Customer.Name)
        {
            changed.Add("name");
        }

        if (before.Country != Customer.Country)
        {
            changed.Add("country");
        }

        if (before.Domain != Customer.Domain)
        {
            changed.Add(Identifier("domain", before.Domain, Customer.Domain));
        }

        if (before.Duns != Customer.Duns)
        {
            changed.Add(Identifier("DUNS", before.Duns, Customer.Duns));
        }

        foreach (var (isChanged, what) in new[] { (lines, "product lines"), (value, "value"), (closeDate, "close date"), (notes, "notes") })
        {
            if (isChanged)
            {
                changed.Add(what);
            }
        }

        return string.Join(", ", changed);
    }

    /// <summary>
    /// Refuses a submission of a registration that is neither a draft nor returned for action, as the lifecycle does
    /// (409), before its terms or its customer are judged: an approved deal whose close date has passed since is not
    /// submitted again, whatever its date.
    /// </summary>
    public void RefuseUnlessSubmittable() => RefuseUnlessMoves(RegistrationAction.Submit, out _);

    /// <summary>Submits (or resubmits) the registration: routes it, starts the review SLA and approves at once when the rules allow.</summary>
    public void Submit(Partner partner, RulesOfEngagement rules, DuplicateAssessment duplicate, string actor, DateTimeOffset at)
    {
        RefuseUnlessSubmittable();
        if (partner.Id != PartnerId)
        {
            throw new DomainException("registration.partner_mismatch", "A registration is submitted under its own partner.");
        }

        if (!partner.IsActive)
        {
            throw new DomainException("partner.suspended", "A suspended partner cannot submit registrations.");
        }

        CheckCloseDateAhead(ExpectedCloseDate, at);
        var policy = rules.For(partner.Tier);
        if (EstimatedValue.Currency == rules.Currency && EstimatedValue.Amount < policy.MinimumDealValue)
        {
            throw new DomainException("registration.below_minimum_value",
                $"{partner.Tier} partners register deals from {Money.InWords(policy.MinimumDealValue, rules.Currency)}.");
        }

        var resubmission = Status == RegistrationStatus.ActionRequired;
        var from = Status;
        var reviewerBefore = ReviewerId;
        Move(RegistrationAction.Submit);
        RulesVersion = rules.Number;
        Tier = partner.Tier;
        Duplicate = duplicate;
        SubmittedAt ??= at;
        // A resubmission goes to the partner's channel manager of now, who may not be the one who returned it.
        ReviewerId = partner.ChannelManagerId;

        var reviewed = WhyReviewed(partner, rules, policy, duplicate);
        // A submission the rules approve at once never waits for a reviewer, so no review falls due.
        ReviewDueAt = reviewed.Count == 0 ? null : at.AddHours(policy.ReviewSlaHours);
        UpdatedAt = at;
        var due = ReviewDueAt is { } dueAt ? $"; review due by {Instant(dueAt)}" : string.Empty;
        var why = reviewed.Count == 0 ? string.Empty : $"; a reviewer decides: {string.Join("; ", reviewed)}";
        Record(new RegistrationEvent(Id, PartnerId, resubmission ? "registration.resubmitted" : "registration.submitted", from, Status,
            $"{(resubmission ? "Resubmitted" : "Submitted")} under rules v{rules.Number} as {partner.Tier}{due}; duplicate check: {DescribeDuplicate(duplicate)}{why}.",
            actor, at), reviewerBefore);

        if (reviewed.Count == 0)
        {
            AutoApproved = true;
            Approve(policy, Actors.System, at, "Under the auto-approve ceiling, in the partner's territories, and no claim collides.");
        }
    }

    /// <summary>
    /// Hands a registration awaiting review, or returned for action, to <paramref name="reviewerId"/>: the partner's new
    /// channel manager, or none (the queue every channel manager reads). Anything else keeps its reviewer.
    /// </summary>
    public void RouteTo(Guid? reviewerId, string actor, DateTimeOffset at)
    {
        if (ReviewerId == reviewerId || !(RegistrationLifecycle.AwaitingReview.Contains(Status) || Status == RegistrationStatus.ActionRequired))
        {
            return;
        }

        var reviewerBefore = ReviewerId;
        ReviewerId = reviewerId;
        UpdatedAt = at;
        Record(new RegistrationEvent(Id, PartnerId, "registration.rerouted", Status, Status,
            reviewerId is null ? "Review passed to the queue every channel manager reads." : "Review passed to the partner's new channel manager.", actor, at), reviewerBefore);
    }

    /// <summary>
    /// The channel manager who takes up a registration routed to nobody (the queue every channel manager reads) becomes
    /// its reviewer: it answers for its review until a resubmission routes it anew, and once decided, for its extensions
    /// and close while the partner has no manager (and it stays an active channel manager). One routed to a manager
    /// keeps them; an admin, or the system, takes up nothing.
    /// </summary>
    public void TakeUp(Guid? channelManagerId)
    {
        if (ReviewerId is null && channelManagerId is { } id)
        {
            if (DomainEvents.Count == 0)
            {
                _takenUpFrom = new ReviewStanding(Status, ReviewerId);
            }

            ReviewerId = id;
        }
    }

    public void StartReview(string reviewer, DateTimeOffset at) =>
        Transition(RegistrationAction.StartReview, "registration.review_started", "Review started.", reviewer, at);

    /// <summary>
    /// Approves the registration and opens its protection window. One whose expected close date has passed is not
    /// approved: its deal should already have closed, so the reviewer returns it for the partner to update the date.
    /// </summary>
    public void Approve(TierPolicy policy, string reviewer, DateTimeOffset at, string? comment = null)
    {
        if (RegistrationLifecycle.TryMove(Status, RegistrationAction.Approve, out _) && ExpectedCloseDate < Today(at))
        {
            throw new DomainException("registration.close_date_passed",
                $"The expected close date {Date(ExpectedCloseDate)} has passed: return the registration for action so the partner updates it, then approve the resubmission.");
        }

        Transition(RegistrationAction.Approve, "registration.approved",
            () => $"Approved{(AutoApproved ? " automatically" : string.Empty)}; protected until {Instant(ProtectionEndsAt!.Value)}.{Suffix(comment)}",
            reviewer, at, () => OpenProtection(policy, at, comment));
    }

    public void Reject(RejectionReason reason, string? comment, string reviewer, DateTimeOffset at)
    {
        CheckDefined(reason, "reason");
        CheckLength(comment, MaximumMessageLength, "comment");
        Transition(RegistrationAction.Reject, "registration.rejected", $"Rejected: {reason}.{Suffix(comment)}", reviewer, at, () =>
        {
            RejectionReason = reason;
            ReviewerMessage = FreeText.Clean(comment);
            DecidedAt = at;
        });
    }

    public void ReturnForAction(string message, string reviewer, DateTimeOffset at)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            throw new DomainValidationException("registration.message_required", "message", "Say what the partner must change.");
        }

        CheckLength(message, MaximumMessageLength, "message");
        Transition(RegistrationAction.Return, "registration.returned", $"Returned to the partner: {message.Trim()}", reviewer, at, () => ReviewerMessage = message.Trim());
    }

    public void FlagConflict(string reason, string actor, DateTimeOffset at) =>
        Transition(RegistrationAction.FlagConflict, "registration.in_conflict", $"Moved to conflict handling: {reason}", actor, at);

    /// <summary>
    /// A conflict case now decides the customer of this approved registration, which keeps its protection until the
    /// decision. Nothing of it changes but its version, so that what rests on the registration as it was (a conversion
    /// into a deal) does not commit beside the case.
    /// </summary>
    public void HoldForConflict(string reason, string actor, DateTimeOffset at) =>
        RecordWhileApproved("registration.conflict_held", $"A conflict case now decides this customer: {reason} Protection continues until the case is decided.",
            new DomainException("registration.illegal_transition", $"A registration that is {Status} is not held for a conflict case; it moves to conflict handling."), actor, at);

    /// <summary>
    /// The approved registration was made an opportunity: it is worked as that deal and closes with it. Nothing of it
    /// changes but its timeline and its version, so that what was decided on it as it was read before (a close as won,
    /// when it had no deal to wait for) does not commit beside the deal.
    /// </summary>
    /// <param name="byConflictCase">The case whose co-sell decision opened the deal as a joint opportunity, when one did.</param>
    public void OpenedAsOpportunity(Guid opportunityId, string actor, DateTimeOffset at, Guid? byConflictCase = null) =>
        RecordWhileApproved("registration.opportunity_opened",
            byConflictCase is { } caseId
                ? $"Made joint opportunity {opportunityId} by the co-sell decision of conflict case {caseId}; the registration is worked as that deal and closes with it."
                : $"Made opportunity {opportunityId}; the registration is worked as that deal and closes with it.",
            new DomainException("opportunity.registration_not_approved", $"Only an approved registration becomes an opportunity; this one is {Status}."), actor, at);

    /// <summary>An entry of an approved registration whose status stays: its timeline and version move, its protection goes on; <paramref name="refusal"/> otherwise.</summary>
    private void RecordWhileApproved(string type, string summary, DomainException refusal, string actor, DateTimeOffset at)
    {
        if (Status != RegistrationStatus.Approved)
        {
            throw refusal;
        }

        UpdatedAt = at;
        Record(new RegistrationEvent(Id, PartnerId, type, Status, Status, summary, actor, at) { ProtectionEndsAt = ProtectionEndsAt }, ReviewerId);
    }

    public void Withdraw(string? reason, string actor, DateTimeOffset at)
    {
        CheckLength(reason, MaximumMessageLength, "reason");
        Transition(RegistrationAction.Withdraw, "registration.withdrawn", $"Withdrawn by the partner.{Suffix(reason)}", actor, at, () => ClosedAt = at);
    }

    /// <summary>
    /// Moves the end of protection on by the tier's extension. A window that has ended is not extended: the registration
    /// has expired, or an open conflict case holds it until its decision, which sets what follows.
    /// </summary>
    public void Extend(TierPolicy policy, string reviewer, DateTimeOffset at)
    {
        RefuseIfProtectionEnded(heldByOpenCase: false, "extended", at);
        if (Status == RegistrationStatus.Approved && ExtensionsUsed >= policy.MaximumExtensions)
        {
            throw new DomainException("registration.extension_limit",
                $"{policy.Tier} registrations can be extended {policy.MaximumExtensions} time(s); this one has used {ExtensionsUsed}.");
        }

        Transition(RegistrationAction.Extend, "registration.extended",
            () => $"Protection extended by {policy.ExtensionDays} days to {Instant(ProtectionEndsAt!.Value)} ({ExtensionsUsed} of {policy.MaximumExtensions}).",
            reviewer, at, () =>
            {
                ExtensionsUsed++;
                ProtectionEndsAt = ProtectionEndsAt!.Value.AddDays(policy.ExtensionDays);
            });
    }

    public void Close(CloseOutcome outcome, LossReason? lossReason, string? comment, string actor, DateTimeOffset at)
    {
        CheckDefined(outcome, "outcome");
        CheckLength(comment, MaximumMessageLength, "comment");
        if (outcome == CloseOutcome.Lost && lossReason is null)
        {
            throw new DomainValidationException("registration.loss_reason_required", "reason", "A lost deal needs a reason code.");
        }

        if (lossReason is { } r)
        {
            CheckDefined(r, "reason");
        }

        var action = outcome == CloseOutcome.Won ? RegistrationAction.CloseWon : RegistrationAction.CloseLost;
        var summary = outcome == CloseOutcome.Won ? $"Closed as won.{Suffix(comment)}" : $"Closed as lost: {lossReason}.{Suffix(comment)}";
        Transition(action, outcome == CloseOutcome.Won ? "registration.won" : "registration.lost", summary, actor, at, () =>
        {
            LossReason = outcome == CloseOutcome.Lost ? lossReason : null;
            ClosedAt = at;
        });
    }

    public bool IsProtectionOver(DateTimeOffset at) => Status == RegistrationStatus.Approved && ProtectionEndsAt <= at;

    /// <summary>
    /// Turned down by a conflict decision, with a window from before the case that ran out while that decision stood: as
    /// an awarded claim whose window ran out meanwhile has expired, a reopening brings this one back no more. (A window
    /// that ran out while the case held it, before its decision, is another matter: an award then opens a fresh one.)
    /// </summary>
    public bool WindowRanOutWhileTurnedDown(DateTimeOffset at) =>
        Status == RegistrationStatus.Rejected && ProtectionEndsAt is { } ends && ends <= at && DecidedAt is { } decided && ends > decided;

    /// <summary>
    /// Refuses a change to an approved registration whose protection has ended, which is expired whether or not the expiry
    /// service has written it yet; <paramref name="heldByOpenCase"/>: an open conflict case holds it, and its protection
    /// lasts until the decision.
    /// </summary>
    public void RefuseIfProtectionEnded(bool heldByOpenCase, string action, DateTimeOffset at)
    {
        // The same answer before the expiry service writes the expiry and after: which came first is not the caller's concern.
        if (Status == RegistrationStatus.Expired || IsProtectionOver(at) && !heldByOpenCase)
        {
            throw new DomainException("registration.protection_ended",
                $"Protection ended at {Instant(ProtectionEndsAt!.Value)}: the registration is not {action} (it has expired, or an open conflict case holds it until its decision).");
        }
    }

    public void Expire(DateTimeOffset at)
    {
        if (!IsProtectionOver(at))
        {
            throw new DomainException("registration.not_expired", "Only an approved registration whose protection has ended can expire.");
        }

        Transition(RegistrationAction.Expire, "registration.expired", $"Protection ended at {Instant(ProtectionEndsAt!.Value)}; the registration expired.", Actors.System, at, () => ClosedAt = at);
    }

    /// <summary>
    /// Expires the registration if its protection has ended, whether or not the expiry service has written so yet (the
    /// caller knows no open case holds it); answers whether it did.
    /// </summary>
    public bool ExpireIfProtectionOver(DateTimeOffset at)
    {
        if (!IsProtectionOver(at))
        {
            return false;
        }

        Expire(at);
        return true;
    }

    /// <summary>
    /// Applies a conflict decision to this registration. An award stands even when the expected close date has passed
    /// meanwhile: the case settles who holds the customer, and a registration the case holds cannot be returned for the
    /// partner to update the date (a joint deal it opens starts from the decision day).
    /// </summary>
    public void ResolveConflict(bool awarded, TierPolicy policy, string rationale, string arbiter, DateTimeOffset at)
    {
        if (awarded && Status == RegistrationStatus.Approved && ProtectionEndsAt > at)
        {
            Transition(RegistrationAction.DecideConflictApprove, "registration.conflict_awarded",
                () => $"Conflict decided in this registration's favour; protection continues until {Instant(ProtectionEndsAt!.Value)}.", arbiter, at);
        }
        else if (awarded && Status != RegistrationStatus.Approved && ProtectionEndsAt is { } ends && ends > at)
        {
            // Awarded again after a reopened case: the window it already held (and the extensions it used) goes on;
            // a second award is no fresh window.
            Transition(RegistrationAction.DecideConflictApprove, "registration.conflict_awarded",
                () => $"Conflict decided in this registration's favour; protection continues until {Instant(ends)}.", arbiter, at, () =>
                {
                    DecidedAt = at;
                    ReviewerMessage = rationale;
                });
        }
        else if (awarded)
        {
            // No window yet, or one that ended while the case held it (protection lasts until the decision): a fresh one.
            Transition(RegistrationAction.DecideConflictApprove, "registration.conflict_awarded",
                () => $"Conflict decided in this registration's favour; protected until {Instant(ProtectionEndsAt!.Value)}.",
                arbiter, at, () => OpenProtection(policy, at, rationale));
        }
        else
        {
            Transition(RegistrationAction.DecideConflictReject, "registration.conflict_lost", "Conflict decided against this registration.", arbiter, at, () =>
            {
                RejectionReason = Registrations.RejectionReason.Duplicate;
                ReviewerMessage = rationale;
                DecidedAt = at;
            });
        }
    }

    public const string ConflictReopened = "registration.conflict_reopened";

    /// <summary>What a registration's timeline says of a reopening, and what a partner reads of one recorded with its reason before.</summary>
    public const string ConflictReopenedSummary = "The conflict case was reopened by an admin; it will be decided again.";

    /// <summary>
    /// A reopened conflict case takes the registration back into conflict handling. The admin's reason stays in the case's
    /// log, which the vendor reads: it may speak of another party, which a party learns of only from a co-sell decision.
    /// </summary>
    public void ReopenConflict(string admin, DateTimeOffset at) =>
        Transition(RegistrationAction.ReopenConflict, ConflictReopened, ConflictReopenedSummary, admin, at, () =>
        {
            RejectionReason = null;
            DecidedAt = null;
        });

    /// <summary>Why the submission waits for a reviewer rather than being approved at once; none when the rules approve it.</summary>
    private List<string> WhyReviewed(Partner partner, RulesOfEngagement rules, TierPolicy policy, DuplicateAssessment duplicate)
    {
        var reasons = new List<string>();
        if (Status != RegistrationStatus.Submitted)
        {
            reasons.Add("a resubmission is always reviewed");
        }

        if (duplicate.Verdict != DuplicateVerdict.Clear)
        {
            reasons.Add($"the duplicate check says {duplicate.Verdict.ToString().ToLowerInvariant()}");
        }

        if (policy.AutoApproveCeiling <= 0)
        {
            reasons.Add($"{partner.Tier} deals are never approved automatically");
        }
        else if (EstimatedValue.Currency != rules.Currency)
        {
            reasons.Add($"the value is in {EstimatedValue.Currency}, and only deals in {rules.Currency} are approved automatically");
        }
        else if (EstimatedValue.Amount >= policy.AutoApproveCeiling)
        {
            reasons.Add($"the value is not under the {partner.Tier} auto-approve ceiling of {Money.InWords(policy.AutoApproveCeiling, rules.Currency)}");
        }

        if (!partner.SellsIn(Customer.Country))
        {
            reasons.Add($"the customer's country {Customer.Country} is outside the partner's territories ({string.Join(", ", partner.Territories)})");
        }

        return reasons;
    }

    private void OpenProtection(TierPolicy policy, DateTimeOffset at, string? comment)
    {
        DecidedAt = at;
        ProtectionEndsAt = at.AddDays(policy.ProtectionDays);
        ExtensionsUsed = 0;
        ReviewerMessage = FreeText.Clean(comment);
    }

    private void Transition(RegistrationAction action, string type, string summary, string actor, DateTimeOffset at, Action? apply = null) =>
        Transition(action, type, () => summary, actor, at, apply);

    private void Transition(RegistrationAction action, string type, Func<string> summary, string actor, DateTimeOffset at, Action? apply = null)
    {
        var from = Status;
        Move(action);
        apply?.Invoke();
        UpdatedAt = at;
        Record(new RegistrationEvent(Id, PartnerId, type, from, Status, summary(), actor, at) { ProtectionEndsAt = ProtectionEndsAt }, ReviewerId);
    }

    /// <summary>
    /// Raises a change, carrying where the registration stood for review when the changes not yet committed began: as it
    /// stood before this one (<paramref name="reviewerBefore"/> and the change's <see cref="RegistrationEvent.From"/>)
    /// when this is the first, or before a take-up that came first.
    /// </summary>
    private void Record(RegistrationEvent change, Guid? reviewerBefore)
    {
        if (DomainEvents.Count == 0)
        {
            _standingBefore = _takenUpFrom ?? new ReviewStanding(change.From, reviewerBefore);
            _takenUpFrom = null;
        }

        Raise(change with { Before = _standingBefore });
    }

    private void Move(RegistrationAction action)
    {
        RefuseUnlessMoves(action, out var to);
        Status = to;
    }

    /// <summary>The lifecycle's refusal of <paramref name="action"/> in the current status: 409, illegal or no longer open.</summary>
    private void RefuseUnlessMoves(RegistrationAction action, out RegistrationStatus to)
    {
        if (!RegistrationLifecycle.TryMove(Status, action, out to))
        {
            throw new DomainException(
                Status == RegistrationStatus.Draft || RegistrationLifecycle.ActiveClaim.Contains(Status) ? "registration.illegal_transition" : "registration.not_open",
                $"A registration that is {Status} cannot {Describe(action)}.");
        }
    }

    private void SetTerms(Customer customer, IEnumerable<string> productLines, Money estimatedValue, DateOnly expectedCloseDate, string? notes, DateTimeOffset at, bool judgeCloseDate = true)
    {
        var lines = productLines.Select(p => p.Trim()).Where(p => p.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (lines.Count is 0 or > MaximumProductLines || lines.Any(l => l.Length > MaximumProductLineLength || l.Any(c => Characters.IsControl(c) || Characters.IsDirectionControl(c))))
        {
            throw new DomainValidationException("registration.product_lines_invalid", "productLines",
                $"Name 1 to {MaximumProductLines} product lines of at most {MaximumProductLineLength} characters, without control characters or direction controls.");
        }

        CheckLength(notes, MaximumNotesLength, "notes");
        if (judgeCloseDate)
        {
            CheckCloseDateAhead(expectedCloseDate, at);
        }

        Customer = customer;
        _productLines = lines;
        EstimatedValue = estimatedValue;
        ExpectedCloseDate = expectedCloseDate;
        Notes = FreeText.Clean(notes);
        UpdatedAt = at;
    }

    private static void CheckCloseDateAhead(DateOnly expectedCloseDate, DateTimeOffset at)
    {
        var today = Today(at);
        if (expectedCloseDate < today || expectedCloseDate > today.AddYears(5))
        {
            throw new DomainValidationException("registration.close_date_invalid", "expectedCloseDate", "The expected close date lies between today and five years from now.");
        }
    }

    /// <summary>The UTC day of an instant: the day against which a close date is judged.</summary>
    private static DateOnly Today(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    private static void CheckLength(string? text, int max, string field) => FreeText.CheckLength(text, max, "registration.text_too_long", field);

    private static void CheckDefined<T>(T value, string field) where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw new DomainValidationException("registration.reason_unknown", field, $"Unknown {field}.");
        }
    }

    private static string Describe(RegistrationAction action) => action switch
    {
        RegistrationAction.StartReview => "be taken into review",
        RegistrationAction.FlagConflict => "move to conflict handling",
        RegistrationAction.DecideConflictApprove or RegistrationAction.DecideConflictReject => "be decided as a conflict",
        RegistrationAction.CloseWon => "be closed as won",
        RegistrationAction.CloseLost => "be closed as lost",
        RegistrationAction.Return => "be returned for action",
        _ => "be " + action.ToString().ToLowerInvariant() switch
        {
            "submit" => "submitted",
            "approve" => "approved",
            "reject" => "rejected",
            "withdraw" => "withdrawn",
            "extend" => "extended",
            "expire" => "expired",
            var s => s,
        },
    };

    // The timeline is the partner's to read, and a partner learns the verdict alone; the reasons stay on the registration for vendor roles.
    private static string DescribeDuplicate(DuplicateAssessment d) => d.Verdict.ToString().ToLowerInvariant();

    private static string Suffix(string? text) => string.IsNullOrWhiteSpace(text) ? string.Empty : " " + text.Trim();
}
