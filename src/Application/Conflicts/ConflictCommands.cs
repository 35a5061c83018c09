using CoSell.Application.Abstractions;
using CoSell.Application.DuplicateChecks;
using CoSell.Application.Partners;
using CoSell.Application.Opportunities;
using CoSell.Application.Registrations;
using CoSell.Application.RulesOfEngagement;
using CoSell.Domain.Conflicts;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Partners;
using CoSell.Domain.Registrations;
using CoSell.Domain.Users;
using FluentValidation;
using MediatR;
using Rules = CoSell.Domain.Rules.RulesOfEngagement;

namespace CoSell.Application.Conflicts;

/// <summary>Loads the case, checks If-Match, applies one change, answers the caller's view of it.</summary>
public abstract class ConflictCommandHandler<TCommand>(IRepository<ChannelConflict> conflicts, ConflictView view)
    : AggregateCommandHandler<TCommand, ChannelConflict, ConflictDto>(conflicts, "conflict")
    where TCommand : IConflictRequest, IVersionedCommand, IRequest<ConflictDto>
{
    protected override Guid IdOf(TCommand command) => command.ConflictId;

    protected override Task<ConflictDto> ViewOfAsync(ChannelConflict conflict, CancellationToken cancellationToken) => view.ForAsync(conflict, cancellationToken);
}

/// <summary>
/// A channel manager opens a case by hand from the review queue, on a registration routed to them, binding it to the
/// claims it collides with: those the manager names (live registrations on a customer in the same country), or else
/// those the duplicate check finds.
/// </summary>
[Authorize(Roles.ChannelManager, Roles.Admin)]
public sealed record OpenConflict(Guid RegistrationId, IReadOnlyList<Guid>? WithClaims) : ICommand<ConflictDto>, IRegistrationRequest, IReviewerAction;

public sealed class OpenConflictValidator : AbstractValidator<OpenConflict>
{
    public OpenConflictValidator()
    {
        RuleFor(o => o.RegistrationId).NotEmpty();
        RuleFor(o => o.WithClaims).Cascade(CascadeMode.Stop).Items(0, 20, (Guid _) => true, "Name at most 20 claims, each once.")
            .Must(c => c is null || c.Distinct().Count() == c.Count).WithMessage("Name at most 20 claims, each once.");
    }
}

public sealed class OpenConflictHandler(
    IRepository<DealRegistration> registrations,
    ConflictOpener opener,
    SubmissionJudge judge,
    IOpenConflictFinder openCases,
    ICurrentUser user,
    TimeProvider time,
    ConflictView view)
    : IRequestHandler<OpenConflict, ConflictDto>
{
    public async Task<ConflictDto> Handle(OpenConflict request, CancellationToken cancellationToken)
    {
        var registration = await registrations.GetByIdAsync(request.RegistrationId, cancellationToken) ?? throw new NotFoundException("registration", request.RegistrationId);
        // One answer, whatever else the request names: the registration is already before an arbiter.
        if (await openCases.FindBindingAsync([registration.Id], cancellationToken) is { } open)
        {
            throw new Domain.SeedWork.DomainException("conflict.already_open",
                $"The registration is already bound to the open case {open}. To bring a claim the case missed into it, open a case for that claim's registration naming this one: it joins this case.");
        }

        IReadOnlyList<ClaimReference> matches;
        if (request.WithClaims is { Count: > 0 } named)
        {
            // The manager may see what the check missed (a claim written without its domain), but a case is about one
            // customer: a named claim must be live and in the same country, or the case would show its parties a
            // customer that is not theirs.
            var rivals = await registrations.ListAsync(new RegistrationsByIdSpec(named), cancellationToken);
            if (rivals.Count != named.Count || rivals.Any(r => !RegistrationLifecycle.ActiveClaim.Contains(r.Status) || r.Id == registration.Id))
            {
                throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(request.WithClaims), "Every named claim must be another live registration.")]);
            }

            if (rivals.Any(r => r.Customer.Country != registration.Customer.Country))
            {
                throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(request.WithClaims), "Every named claim must be on a customer in the same country as this registration's.")]);
            }

            matches = rivals.Select(r => new ClaimReference(r.Id, Domain.Customers.Identity.ClaimKind.Registration, r.PartnerId, r.SubmittedAt ?? r.CreatedAt, 1, ["named by the channel manager"])).ToList();
        }
        else
        {
            matches = (await judge.AssessLiveAsync(registration, cancellationToken)).Matches;
        }

        var admin = user.Role == Roles.Admin;
        var conflict = await opener.OpenOrJoinAsync(registration, matches, user.UserId, time.GetUtcNow(), cancellationToken,
                openedBy: admin ? "an admin" : "its channel manager", namedBy: admin ? "an admin" : "a channel manager")
            ?? throw new Domain.SeedWork.DomainException("conflict.no_rival_claim", "No other party's live claim is bound to this registration's customer; there is nothing to arbitrate.");
        return await view.ForAsync(conflict, cancellationToken);
    }
}

/// <summary>A party adds a statement with evidence links to the case timeline.</summary>
[Authorize(Roles.Partner, Roles.Rep)]
public sealed record AddConflictStatement(Guid ConflictId, string? Text, IReadOnlyList<string>? Links, IfMatch? ExpectedVersion = null) : IConflictCommand, IRetriedOnConcurrentChange;

public sealed class AddConflictStatementValidator : AbstractValidator<AddConflictStatement>
{
    public AddConflictStatementValidator()
    {
        RuleFor(s => s.Text).NotEmpty().FreeText(ConflictStatement.MaximumTextLength);
        RuleFor(s => s.Links).Items(0, ConflictStatement.MaximumLinks, (string _) => true, $"At most {ConflictStatement.MaximumLinks} links.");
        RuleForEach(s => s.Links).Must(EvidenceLinks.IsValid).WithMessage(EvidenceLinks.Rule);
    }
}

public sealed class AddConflictStatementHandler(IRepository<ChannelConflict> conflicts, IConflictStatements statements, ConflictView view, ICurrentUser user, TimeProvider time)
    : ConflictCommandHandler<AddConflictStatement>(conflicts, view)
{
    private readonly ConflictView _view = view;

    protected override Task ApplyAsync(AddConflictStatement command, ChannelConflict conflict, CancellationToken cancellationToken)
    {
        // A party with a claim still in the case speaks for it; one whose claims all left is told so by the case.
        var own = _view.OwnClaims(conflict);
        var claim = own.FirstOrDefault(c => !c.HasLeft) ?? (own is [var first, ..] ? first : throw new NotFoundException("conflict", conflict.Id));
        statements.Add(conflict.AddStatement(claim.ClaimId, user.UserId, command.Text!, command.Links ?? [], time.GetUtcNow()));
        return Task.CompletedTask;
    }
}

/// <summary>An admin (re)assigns the case to an arbiter who manages none of its parties.</summary>
[Authorize(Roles.Admin)]
public sealed record AssignConflict(Guid ConflictId, Guid? ArbiterId, IfMatch? ExpectedVersion = null) : IConflictCommand;

public sealed class AssignConflictValidator : AbstractValidator<AssignConflict>
{
    public AssignConflictValidator() => RuleFor(a => a.ArbiterId).NotNull();
}

public sealed class AssignConflictHandler(IRepository<ChannelConflict> conflicts, IRepository<User> users, ConflictOpener opener, ConflictView view, ICurrentUser user, TimeProvider time)
    : ConflictCommandHandler<AssignConflict>(conflicts, view)
{
    protected override async Task ApplyAsync(AssignConflict command, ChannelConflict conflict, CancellationToken cancellationToken)
    {
        // A decided case is that, whichever arbiter the assignment names (its own one included).
        conflict.EnsureUndecided();
        var arbiter = await users.GetByIdAsync(command.ArbiterId!.Value, cancellationToken);
        if (arbiter is not { Role: Roles.Arbiter, IsActive: true })
        {
            throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(command.ArbiterId), "No active arbiter has this id.")]);
        }

        if ((await opener.PartyManagersAsync(conflict, cancellationToken)).Contains(arbiter.Id))
        {
            throw new ForbiddenException("That arbiter is the channel manager of a party to this case.");
        }

        if (conflict.ArbiterId == arbiter.Id)
        {
            // Already the case's arbiter: nothing to change.
            return;
        }

        // Assigned only while still active: a deactivation that commits first refuses the assignment, and the arbiter's
        // version moves on, so a deactivation that counted its cases before this one committed is refused in turn.
        users.RequireUnchanged(arbiter, moveVersionOn: true);

        conflict.Assign(arbiter.Id, user.UserId, time.GetUtcNow());
    }
}

/// <summary>The assigned arbiter decides: award one claim, co-sell, or reject all — always with a rationale.</summary>
[Authorize(Roles.Arbiter)]
public sealed record DecideConflict(Guid ConflictId, DecisionKind? Decision, Guid? AwardedClaimId, string? Rationale, IfMatch? ExpectedVersion = null)
    : IConflictCommand;

public sealed class DecideConflictValidator : AbstractValidator<DecideConflict>
{
    public DecideConflictValidator()
    {
        RuleFor(d => d.Decision).NotNull().IsInEnum();
        RuleFor(d => d.Rationale).NotEmpty().FreeText(ChannelConflict.MaximumRationaleLength);
        RuleFor(d => d.AwardedClaimId).NotNull().When(d => d.Decision is DecisionKind.Award or DecisionKind.CoSell).WithMessage("Name the claim that wins.");
        RuleFor(d => d.AwardedClaimId).Null().When(d => d.Decision is DecisionKind.RejectAll).WithMessage("Rejecting all claims awards none.");
    }
}

public sealed class DecideConflictHandler(
    IRepository<ChannelConflict> conflicts,
    IRepository<DealRegistration> registrations,
    IRepository<Rules> rules,
    IRepository<Opportunity> opportunities,
    IRepository<Partner> partners,
    ConflictOpener opener,
    ConflictView view,
    RegistrationDeals deals,
    ICurrentUser user,
    TimeProvider time) : ConflictCommandHandler<DecideConflict>(conflicts, view)
{
    private readonly IRepository<ChannelConflict> _conflicts = conflicts;

    protected override async Task ApplyAsync(DecideConflict command, ChannelConflict conflict, CancellationToken cancellationToken)
    {
        var me = user.UserGuid();
        if ((await opener.PartyManagersAsync(conflict, cancellationToken)).Contains(me ?? Guid.Empty))
        {
            throw new ForbiddenException("You are the channel manager of a party to this case and may not decide it.");
        }

        if (conflict.ArbiterId is not { } assigned)
        {
            // Only the arbiter an admin gives it decides a case that opened while no arbiter was free to take it.
            throw new ForbiddenException("This case has no arbiter yet; an admin assigns one to decide it.");
        }

        if (assigned != me)
        {
            throw new ForbiddenException("This case is assigned to another arbiter.");
        }

        // A decided case is that, whatever the new decision names: asked before the claims it names are looked at.
        conflict.EnsureUndecided();
        var now = time.GetUtcNow();
        var bound = await registrations.ListAsync(new RegistrationsByIdSpec(conflict.Claims.Select(c => c.ClaimId).ToList()), cancellationToken);
        var winner = bound.FirstOrDefault(r => r.Id == command.AwardedClaimId);
        if (command.AwardedClaimId is { } named && !conflict.Binds(named))
        {
            // Asked before whether it is live: a claim of no part in the case is the wrong claim, whatever became of it.
            throw new Domain.SeedWork.DomainValidationException("conflict.claim_not_in_case", "awardedClaimId", "The awarded claim must be one of the case's claims.");
        }

        if (command.AwardedClaimId is { } awardedId && !await IsLiveAsync(awardedId, winner, cancellationToken))
        {
            await ThrowIfDecidedSinceReadAsync(conflict, cancellationToken);

            // A claim withdrawn, closed or expired since it joined the case cannot win it: the customer would be left unclaimed.
            throw new Domain.SeedWork.DomainException("conflict.claim_not_live", "The awarded claim is no longer live (withdrawn, closed or expired); award a live claim or reject all.");
        }

        // Awarding a suspended partner's registration would approve it, which its channel manager may not do either.
        if (winner is not null)
        {
            await partners.ActivePartnerAsync(winner.PartnerId, "A suspended partner's claim is not awarded until it is reinstated; award another claim or reject all.", cancellationToken);
        }

        // A claim that stopped being one without the case hearing of it (expired, or withdrawn while an earlier decision
        // stood) leaves it now: its party is no party to what is decided.
        var undecidedSinceRead = false;
        foreach (var claim in conflict.Claims.Where(c => !c.HasLeft && c.ClaimId != command.AwardedClaimId))
        {
            if (!await IsLiveAsync(claim.ClaimId, bound.FirstOrDefault(r => r.Id == claim.ClaimId), cancellationToken))
            {
                if (!undecidedSinceRead)
                {
                    // Asked once: the case is read again only for the first claim found gone.
                    await ThrowIfDecidedSinceReadAsync(conflict, cancellationToken);
                    undecidedSinceRead = true;
                }

                conflict.RecordClaimLeft(claim.ClaimId, "no longer a live claim when the case was decided", await rules.DirectLookbackDaysAsync(conflict.RulesVersion, cancellationToken), user.UserId, now);
            }
        }

        conflict.Decide(command.Decision!.Value, command.AwardedClaimId, command.Rationale!, user.UserId, now);

        // Every bound registration moves to its outcome in the same transaction as the decision; the opportunity every
        // other registration was made (before its case, or between a decision and a reopening) ends with the decision,
        // whether the registration was turned down or had left: one customer, one deal.
        foreach (var registration in bound)
        {
            var awarded = registration.Id == conflict.AwardedClaimId;
            var action = awarded ? RegistrationAction.DecideConflictApprove : RegistrationAction.DecideConflictReject;
            if (registration.Status == RegistrationStatus.ActionRequired)
            {
                // Bound while returned for action by a case opened before such registrations were held in conflict.
                registration.FlagConflict("its conflict case holds it until the decision.", user.UserId, now);
            }

            if (RegistrationLifecycle.TryMove(registration.Status, action, out _))
            {
                var policy = await rules.PolicyAsync(registration.RulesVersion, registration.Tier, cancellationToken);
                registration.ResolveConflict(awarded, policy, conflict.Rationale!, user.UserId, now);
            }

            if (!awarded && await deals.OpenDealOfAsync(registration, conflict.Id, cancellationToken) is { } made)
            {
                made.MoveTo(OpportunityStage.ClosedLost, user.UserId, now);
            }
        }

        // A direct opportunity of the case that was not awarded it ends with the decision too, unless nobody was (the
        // vendor's own deal goes on when every partner claim is turned down): beside the winner's deal, or the joint one
        // its direct rep owns, it would be a second deal on the customer.
        if (conflict.AwardedClaimId is { } awardedClaim)
        {
            foreach (var direct in conflict.DirectClaims().Where(c => c.ClaimId != awardedClaim))
            {
                if (await opportunities.GetByIdAsync(direct.ClaimId, cancellationToken) is { IsOpen: true } lost)
                {
                    lost.MoveTo(OpportunityStage.ClosedLost, user.UserId, now);
                }
            }
        }

        // The joint opportunity an earlier co-sell decision of this (reopened) case opened, if it is still open.
        var joint = await OpenDealAsync(OpportunitySourceKind.ConflictDecision, conflict.Id, cancellationToken);
        if (conflict.Decision == DecisionKind.CoSell)
        {
            await OpenCoSellAsync(conflict, bound, joint, now, cancellationToken);
        }
        else
        {
            await KeepDealsWithoutCoSellingAsync(conflict, winner, joint, now, cancellationToken);
        }
    }

    /// <summary>
    /// A case decided otherwise than co-selling: the joint opportunity an earlier decision opened ends, unless the partner
    /// now awarded sourced it, whose deal it is; the deals that stay open (that one, the winner's own, the case's direct
    /// opportunities still open: the awarded one, or all when every claim was turned down) lose the case's other partner
    /// parties, whoever invited them and whether or not they accepted: nobody co-sells now.
    /// </summary>
    private async Task KeepDealsWithoutCoSellingAsync(ChannelConflict conflict, DealRegistration? winner, Opportunity? joint, DateTimeOffset now, CancellationToken cancellationToken)
    {
        List<Opportunity> kept = [];
        if (joint is not null)
        {
            if (winner is not null && joint.IsSourcedBy(winner.PartnerId))
            {
                kept.Add(joint);
            }
            else
            {
                joint.MoveTo(OpportunityStage.ClosedLost, user.UserId, now);
            }
        }

        if (winner is not null && await deals.OpenDealOfAsync(winner, conflict.Id, cancellationToken) is { } winnersOwn)
        {
            kept.Add(winnersOwn);
        }

        foreach (var direct in conflict.DirectClaims())
        {
            if (await opportunities.GetByIdAsync(direct.ClaimId, cancellationToken) is { IsOpen: true } opportunity)
            {
                kept.Add(opportunity);
            }
        }

        var casePartners = conflict.Claims.Where(c => c.PartnerId is not null).Select(c => c.PartnerId!.Value).Where(p => p != winner?.PartnerId).ToHashSet();
        foreach (var deal in kept)
        {
            deal.EndParticipationsOf(casePartners, "the conflict case was decided without co-selling.", user.UserId, now);

            // Kept as read: an invitation of a case partner (or its answer) that commits meanwhile fails the decision (409
            // `opportunity.changed`) rather than outlive it; read again, the decision ends it.
            opportunities.RequireUnchanged(deal);
        }
    }

    private Task<Opportunity?> OpenDealAsync(OpportunitySourceKind kind, Guid referenceId, CancellationToken cancellationToken) =>
        opportunities.FirstOrDefaultAsync(new OpenOpportunityFromSourceSpec(kind, referenceId), cancellationToken);

    /// <summary>
    /// A claim found no longer live may have been turned down by a decision that committed after this one read the case
    /// (the case's registrations are read after it): this one is then told of that decision, rather than record the claim
    /// as having left, or refuse a co-sell for want of anyone to invite.
    /// </summary>
    private async Task ThrowIfDecidedSinceReadAsync(ChannelConflict conflict, CancellationToken cancellationToken)
    {
        if (await _conflicts.FirstOrDefaultAsync(new ConflictStatusSpec(conflict.Id), cancellationToken) == ConflictStatus.Decided)
        {
            throw ChannelConflict.AlreadyDecided();
        }
    }

    /// <summary>Whether the claim is still a claim: its registration (when it is one) in an active state, or its direct opportunity open.</summary>
    private async Task<bool> IsLiveAsync(Guid claimId, DealRegistration? registration, CancellationToken cancellationToken) =>
        registration is not null
            ? RegistrationLifecycle.ActiveClaim.Contains(registration.Status)
            : await opportunities.GetByIdAsync(claimId, cancellationToken) is not { } opportunity || OpportunityStages.Open.Contains(opportunity.Stage);

    /// <summary>
    /// Co-sell: the winning claim's opportunity (the direct one, the one its registration was already made, or a new one
    /// sourced by the awarded partner) with every other partner party invited as influencer.
    /// </summary>
    private async Task OpenCoSellAsync(ChannelConflict conflict, IReadOnlyList<DealRegistration> bound, Opportunity? earlier, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var awardedClaim = conflict.Claims.Single(c => c.ClaimId == conflict.AwardedClaimId);
        Opportunity opportunity;
        // The direct claim that co-sells: the one whose rep owns the joint opportunity, the others' deals closed above.
        ConflictClaim? coSellingDirect = null;
        if (awardedClaim.Kind == Domain.Customers.Identity.ClaimKind.DirectOpportunity)
        {
            opportunity = await opportunities.GetByIdAsync(awardedClaim.ClaimId, cancellationToken) ?? throw new NotFoundException("opportunity", awardedClaim.ClaimId);
            // A joint opportunity an earlier co-sell decision of this case opened gives way to the direct one.
            earlier?.MoveTo(OpportunityStage.ClosedLost, user.UserId, now);
        }
        else
        {
            var won = bound.Single(r => r.Id == awardedClaim.ClaimId);
            // Read active above (ActivePartnerAsync), so the decision commits only while the partner, and its channel
            // manager who may own the joint opportunity, are as read.
            var partner = await partners.GetByIdAsync(won.PartnerId, cancellationToken) ?? throw new NotFoundException("partner", won.PartnerId);

            // A reopened case decided for co-selling again keeps one joint opportunity: the earlier one goes on when the
            // same partner sources it, and is closed when another does, rather than left open beside a second.
            // The awarded registration made an opportunity already (before its case): that is the deal, and the joint one.
            // The direct rep of the case owns the joint opportunity (of several, the one whose deal was opened first), whose
            // own deal the decision closed above; with none,
            // the awarded partner's channel manager, or whoever owns the deal the joint one already is.
            coSellingDirect = conflict.DirectClaims().Where(c => !c.HasLeft && Guid.TryParse(c.OwnerUserId, out _))
                .OrderBy(c => c.ClaimedAt).ThenBy(c => c.ClaimId).FirstOrDefault();
            var directRep = coSellingDirect is not null ? Guid.Parse(coSellingDirect.OwnerUserId!) : (Guid?)null;
            var made = await deals.OpenDealOfAsync(won, conflict.Id, cancellationToken);
            if (made is not null)
            {
                earlier?.MoveTo(OpportunityStage.ClosedLost, user.UserId, now);
                opportunity = made;
            }
            else if (earlier is not null && earlier.IsSourcedBy(won.PartnerId))
            {
                opportunity = earlier;
            }
            else
            {
                earlier?.MoveTo(OpportunityStage.ClosedLost, user.UserId, now);

                // With neither a direct rep nor a channel manager, nobody who may work the joint opportunity would own it,
                // so the decision waits for the partner to be assigned one.
                var owner = directRep ?? partner.ChannelManagerId ?? throw new Domain.SeedWork.DomainException("conflict.no_owner",
                        "A co-sell decision opens a joint opportunity, which needs an owner: the case has no direct rep and the awarded partner no channel manager. Assign the partner a channel manager, or decide otherwise.");
                opportunity = Opportunity.FromConflictDecision(Guid.CreateVersion7(), conflict.Id, won.Customer, won.EstimatedValue, won.ExpectedCloseDate, owner, won.PartnerId, user.UserId, now);
                opportunities.Add(opportunity);

                // The awarded registration, approved by the decision above, is worked as the joint deal from now on, and
                // its timeline and its partner say so as they do for a conversion.
                if (won.Status == RegistrationStatus.Approved)
                {
                    won.OpenedAsOpportunity(opportunity.Id, user.UserId, now, conflict.Id);
                }
            }

            // A deal the registration was made before its case goes on as the joint one, passed to the direct rep whose
            // own deal on the customer the decision closed: the direct team co-sells on it, not beside it.
            if (directRep is { } rep)
            {
                opportunity.AssignOwner(rep, user.UserId, now);
            }
        }

        // Taken over as read, the awarded direct deal or the registration's: a close (or an invitation's answer) that
        // commits meanwhile fails the decision (409 `opportunity.changed`), which read again opens a joint deal of its own
        // or invites the partner again.
        opportunities.RequireUnchanged(opportunity);

        var active = await rules.ActiveAsync(cancellationToken);
        // A party whose claim left the case (withdrawn, closed or expired before the decision, which the decision found and
        // recorded) is not invited to co-sell it.
        var invited = conflict.Claims.Where(c => c.ClaimId != awardedClaim.ClaimId && !c.HasLeft && c.PartnerId is not null && c.PartnerId != awardedClaim.PartnerId)
            .Select(c => c.PartnerId!.Value).Distinct().ToList();
        // A party the decision no longer invites (its claim left, or the partner now leads) no longer takes part as an
        // invited partner: a pending invitation lapses, an accepted one ends.
        var notInvited = conflict.Claims.Where(c => c.PartnerId is not null && c.PartnerId != awardedClaim.PartnerId && !invited.Contains(c.PartnerId.Value))
            .Select(c => c.PartnerId!.Value).ToHashSet();
        // A first decision meets such a party only when its claim left the case while it co-sold the awarded deal already.
        opportunity.EndParticipationsOf(notInvited, conflict.WasReopened
            ? "the conflict case was decided again without this party."
            : "the conflict case was decided without this party, whose claim had left it.", user.UserId, now);
        var parties = new HashSet<Guid>();
        foreach (var partnerId in invited)
        {
            // Invited or left out as read: a suspension or a reinstatement that commits meanwhile fails the decision (409
            // `partner.changed`), which read again invites the partner as it then stands, and may find nobody else to co-sell with.
            var read = await partners.GetByIdAsync(partnerId, cancellationToken);
            if (read is not null)
            {
                partners.RequireUnchanged(read);
            }

            if (read is not { IsActive: true } other)
            {
                // A suspended partner co-sells nothing: the decision does not invite it, so it leaves the deal as any party
                // the decision does not invite (an earlier decision's invitation lapses, an accepted one ends).
                opportunity.EndParticipationsOf(new HashSet<Guid> { partnerId }, "the partner is suspended.", user.UserId, now);
                continue;
            }

            if (!opportunity.IsSeenBy(partnerId, now))
            {
                opportunity.Invite(other, active, "Invited to co-sell by a conflict decision.", user.UserId, now);
            }

            parties.Add(partnerId);
        }

        // Every other partner of the case suspended, and no direct rep beside the awarded partner: co-selling would invite
        // nobody. Refused as a co-sell with nobody in the case is, before anything is stored.
        if (parties.Count == 0 && coSellingDirect is null)
        {
            throw new Domain.SeedWork.DomainValidationException("conflict.cosell_needs_other_party", "decision",
                "Co-sell needs another party to invite, and every other partner in the case is suspended; award the claim instead, or reinstate the partner first.");
        }

        // Who co-sells is what the parties learn of each other (a suspended partner, not invited, is not among them).
        conflict.RecordInvited(parties, coSellingDirect?.ClaimId);
    }
}

/// <summary>An admin reopens a decided case with a reason; the earlier decision stays in the log.</summary>
[Authorize(Roles.Admin)]
public sealed record ReopenConflict(Guid ConflictId, string? Reason, IfMatch? ExpectedVersion = null) : IConflictCommand;

public sealed class ReopenConflictValidator : AbstractValidator<ReopenConflict>
{
    public ReopenConflictValidator() => RuleFor(r => r.Reason).NotEmpty().FreeText(ChannelConflict.MaximumRationaleLength);
}

public sealed class ReopenConflictHandler(
    IRepository<ChannelConflict> conflicts,
    IRepository<DealRegistration> registrations,
    IRepository<Opportunity> opportunities,
    RegistrationDeals registrationDeals,
    IRepository<Rules> rules,
    IOpenConflictFinder finder,
    SubmissionJudge judge,
    IRepository<User> users,
    ConflictOpener opener,
    ConflictView view,
    ICurrentUser user,
    TimeProvider time)
    : ConflictCommandHandler<ReopenConflict>(conflicts, view)
{
    private readonly IRepository<ChannelConflict> _conflicts = conflicts;

    protected override async Task ApplyAsync(ReopenConflict command, ChannelConflict conflict, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var active = await rules.ActiveAsync(cancellationToken);
        var decidedAt = conflict.DecidedAt;
        // A reopened case is decided under the rules it was opened under, its SLA as every round of it.
        var judgedUnder = await rules.VersionOfCaseAsync(conflict.RulesVersion, cancellationToken);
        conflict.Reopen(command.Reason!, user.UserId, now, TimeSpan.FromHours(judgedUnder.ConflictSlaHours));
        var bound = await registrations.ListAsync(new RegistrationsByIdSpec(conflict.Claims.Select(c => c.ClaimId).ToList()), cancellationToken);
        await RefuseWhatReopeningWouldUndoAsync(conflict, decidedAt!.Value, bound, active.LikelyDuplicateThreshold, cancellationToken);

        // The case goes back to its arbiter while still active (and commits only while so); otherwise, or when it had none,
        // to the least-loaded active arbiter, or to nobody until an admin assigns one. Either arbiter's version moves on:
        // a deactivation that counted its open cases before the reopening committed, this one not among them, is refused.
        var current = conflict.ArbiterId is { } arbiter ? await users.GetByIdAsync(arbiter, cancellationToken) : null;
        if (current is { Role: Roles.Arbiter, IsActive: true })
        {
            users.RequireUnchanged(current, moveVersionOn: true);
        }
        else if (await opener.LeastLoadedArbiterAsync(conflict, cancellationToken, holdArbiter: true) is { } next)
        {
            conflict.Assign(next, Domain.SeedWork.Actors.System, now);
        }
        else if (current is not null)
        {
            conflict.Unassign("its arbiter is no longer active, and no other is free of its parties.", Domain.SeedWork.Actors.System, now);
        }

        var lookback = judgedUnder.DirectLookbackDays;
        foreach (var registration in bound)
        {
            // Its window ended after the decision: it has expired, whether or not the expiry service has written so.
            if (registration.ExpireIfProtectionOver(now))
            {
                conflict.RecordClaimLeft(registration.Id, "Expired when the case was reopened: its protection had ended", lookback, user.UserId, now);
            }
            else if (registration.WindowRanOutWhileTurnedDown(now))
            {
                conflict.RecordClaimLeft(registration.Id, "Its protection ended while the decision against it stood", lookback, user.UserId, now);
            }
            else if (RegistrationLifecycle.TryMove(registration.Status, RegistrationAction.ReopenConflict, out _))
            {
                registration.ReopenConflict(user.UserId, now);
            }
            else if (!RegistrationLifecycle.ActiveClaim.Contains(registration.Status))
            {
                // Withdrawn, lost or expired while the decision stood: no party to the reopened case.
                conflict.RecordClaimLeft(registration.Id, $"{registration.Status} when the case was reopened", lookback, user.UserId, now);
            }
        }

        foreach (var direct in conflict.DirectClaims().Where(c => !c.HasLeft))
        {
            if (await opportunities.GetByIdAsync(direct.ClaimId, cancellationToken) is not { IsOpen: true })
            {
                conflict.RecordClaimLeft(direct.ClaimId, "closed when the case was reopened", lookback, user.UserId, now);
            }
        }
    }

    /// <summary>
    /// A reopening puts the case's claims back before an arbiter, so it is refused where that would undo what stands
    /// since the decision: a later case that binds one of its claims decides the customer now; a deal kept by the
    /// decision that was won stands; a claim on the customer that became live outside the case would be left beside
    /// whatever the case decides next.
    /// </summary>
    private async Task RefuseWhatReopeningWouldUndoAsync(ChannelConflict conflict, DateTimeOffset decidedAt, IReadOnlyList<DealRegistration> bound, double likely, CancellationToken cancellationToken)
    {
        foreach (var claim in conflict.Claims)
        {
            foreach (var caseId in await finder.FindAllBindingAsync(claim.ClaimId, cancellationToken))
            {
                // Later is what took the claim in after this decision: an open case (a claim an open case held would have
                // joined it, not this one), or one the claim joined since.
                if (caseId != conflict.Id && await _conflicts.GetByIdAsync(caseId, cancellationToken) is { } other
                    && (other.Status == ConflictStatus.Open || other.Claims.Any(c => c.ClaimId == claim.ClaimId && c.JoinedAt > decidedAt)))
                {
                    throw new Domain.SeedWork.DomainException("conflict.superseded",
                        $"The later conflict case {caseId} binds a claim of this one and decides the customer now; to revisit it, work with that case.");
                }
            }
        }

        if (bound.FirstOrDefault(r => r.Status == RegistrationStatus.Won) is { } closedWon)
        {
            throw new Domain.SeedWork.DomainException("conflict.deal_won",
                $"The registration {closedWon.Id} on this case's customer was closed as won; a won deal stands, so the case is not reopened.");
        }

        var direct = conflict.DirectClaims().Select(c => c.ClaimId).ToList();
        var deals = await opportunities.ListAsync(new DealsOfCaseSpec(conflict.Id, [.. bound.Select(r => r.Id)], direct), cancellationToken);

        // A joint deal another case's co-sell opened for a registration this case binds, while its partner sources it, is
        // that registration's deal too (ADR 0009): a decision of this case kept it so, and a reopening would undo it.
        foreach (var registration in bound)
        {
            deals.AddRange((await registrationDeals.JointDealsOfAsync(registration, conflict.Id, cancellationToken)).Where(d => !deals.Contains(d)));
        }

        if (deals.FirstOrDefault(d => d.Stage == OpportunityStage.ClosedWon) is { } won)
        {
            throw new Domain.SeedWork.DomainException("conflict.deal_won",
                $"The deal {won.Id} on this case's customer was closed as won; a won deal stands, so the case is not reopened.");
        }

        // And the reopening commits only while they are as read: a deal won meanwhile refuses it.
        foreach (var deal in deals.Where(d => d.IsOpen))
        {
            opportunities.RequireUnchanged(deal);
        }

        // The customer's keys are held as a submission holds them, so no claim on it commits between this check and the reopening.
        await judge.HoldAsync(bound.Select(r => r.Customer), cancellationToken);
        foreach (var registration in bound)
        {
            // Only a match as close as a submission's likely duplicate: a merely possible one would not have bound it either.
            var assessment = await judge.AssessLiveAsync(registration, cancellationToken);
            if (assessment.Matches.FirstOrDefault(m => m.Score >= likely && !conflict.Binds(m.ClaimId)) is { } outside)
            {
                throw new Domain.SeedWork.DomainException("conflict.customer_claimed",
                    $"Since the decision, the claim {outside.ClaimId} on this case's customer became live outside the case; a reopening would leave it beside whatever the case decides. That claim is decided, withdrawn or closed first.");
            }
        }
    }
}

/// <summary>Escalates overdue cases to the admins, once each; run by the escalation service.</summary>
public sealed record EscalateOverdueConflicts(int BatchSize = 200) : ICommand<int>, IRetriedOnConcurrentChange;

public sealed class EscalateOverdueConflictsHandler(IRepository<ChannelConflict> conflicts, TimeProvider time) : IRequestHandler<EscalateOverdueConflicts, int>
{
    public async Task<int> Handle(EscalateOverdueConflicts request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var overdue = await conflicts.ListAsync(new OverdueConflictsSpec(now, request.BatchSize), cancellationToken);
        return overdue.Count(c => c.Escalate(now));
    }
}
