using System.Globalization;
using CoSell.Domain.Customers.Identity;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Registrations;
using CoSell.Domain.SeedWork;
using static CoSell.Domain.SeedWork.TimelineText;

namespace CoSell.Domain.Conflicts;

public enum ConflictStatus
{
    Open,
    Decided,
}

public enum DecisionKind
{
    /// <summary>One claim wins; every other bound registration is rejected.</summary>
    Award,

    /// <summary>One claim wins and the other party is invited onto the opportunity as influencer.</summary>
    CoSell,

    /// <summary>No claim wins.</summary>
    RejectAll,
}

public enum ConflictLogKind
{
    Opened,
    ClaimJoined,
    Assigned,
    Escalated,
    Decided,
    Reopened,

    /// <summary>A bound claim stopped being a claim (withdrawn, closed as lost) while the case was open.</summary>
    ClaimLeft,

    /// <summary>A bound direct opportunity passed to another rep, who answers for its claim.</summary>
    ClaimPassed,
}

/// <summary>One claim bound into a case.</summary>
public sealed class ConflictClaim
{
    private ConflictClaim()
    {
        Status = string.Empty;
        Country = string.Empty;
    }

    private ConflictClaim(Guid claimId, ClaimKind kind, Guid? partnerId, string? ownerUserId, DateTimeOffset claimedAt, string status, DateTimeOffset joinedAt, string customerName,
        string country)
    {
        CustomerName = customerName;
        Country = country;
        ClaimId = claimId;
        Kind = kind;
        PartnerId = partnerId;
        OwnerUserId = ownerUserId;
        ClaimedAt = claimedAt;
        Status = status;
        JoinedAt = joinedAt;
    }

    /// <summary>A partner's registration as a claim, as it stands when it joins a case: claimed when it was submitted.</summary>
    public static ConflictClaim Of(DealRegistration registration, DateTimeOffset joinedAt) =>
        new(registration.Id, ClaimKind.Registration, registration.PartnerId, registration.RegisteredBy, registration.SubmittedAt ?? registration.CreatedAt,
            registration.Status.ToString(), joinedAt, registration.Customer.Name.Value, registration.Customer.Country.Value);

    /// <summary>A direct opportunity as a claim, as it stands when it joins a case: its owner's, claimed when it was opened.</summary>
    public static ConflictClaim Of(Opportunity opportunity, DateTimeOffset joinedAt) =>
        new(opportunity.Id, ClaimKind.DirectOpportunity, null, opportunity.OwnerId.ToString(), opportunity.CreatedAt, opportunity.Stage.ToString(), joinedAt,
            opportunity.Customer.Name.Value, opportunity.Customer.Country.Value);

    public Guid ClaimId { get; private set; }

    public ClaimKind Kind { get; private set; }

    /// <summary>The partner holding the claim; null for the vendor's direct sales.</summary>
    public Guid? PartnerId { get; private set; }

    /// <summary>The rep owning a direct claim.</summary>
    public string? OwnerUserId { get; private set; }

    /// <summary>A direct opportunity's claim answers to the opportunity's current owner: ownership passed on passes the case on too.</summary>
    internal void PassTo(string ownerUserId) => OwnerUserId = ownerUserId;

    /// <summary>When the claim was made (a registration's submission, an opportunity's creation).</summary>
    public DateTimeOffset ClaimedAt { get; private set; }

    /// <summary>What <see cref="Status"/> reads once the claim left the case (withdrawn, closed or expired while it was open).</summary>
    public const string LeftStatus = "Left";

    /// <summary>The claim's status when it joined the case, in words; <see cref="LeftStatus"/> once it left the case.</summary>
    public string Status { get; private set; }

    /// <summary>Whether the claim left the case while it was open: its holder is a party no more, and is told of no rival.</summary>
    public bool HasLeft => Status == LeftStatus;

    internal void Leave() => Status = LeftStatus;

    /// <summary>
    /// Whether the case's co-sell decision invited this claim's partner to the joint opportunity; null until a co-sell
    /// decision stands (and on cases decided before it was kept). The parties of a co-sell learn of each other only.
    /// </summary>
    public bool? Invited { get; private set; }

    internal void MarkInvited(bool? invited) => Invited = invited;

    public DateTimeOffset JoinedAt { get; private set; }

    /// <summary>
    /// The statements the claim's holder added for it in the case's current round (since its opening or latest
    /// reopening). The case counts a party's statements here, so a change of the case reads none of them.
    /// </summary>
    public int StatementsThisRound { get; private set; }

    internal void CountStatement() => StatementsThisRound++;

    internal void StartRound() => StatementsThisRound = 0;

    /// <summary>
    /// The customer as this claim's holder wrote it. A party reads the case under its own spelling, never a rival's
    /// (null on claims that joined before it was kept: they read the case's name).
    /// </summary>
    public string? CustomerName { get; private set; }

    /// <summary>
    /// The customer's country as this claim's holder wrote it, which may not be the case's (the country of the claim that
    /// opened it): a party reads its own, as it reads its own spelling.
    /// </summary>
    public string Country { get; private set; }
}

/// <summary>
/// A party's statement or evidence on the case timeline; never edited. Statements are stored beside their case, not in
/// it: a case at its limits holds hundreds of them, megabytes that no change of the case needs to read. The case keeps
/// what its rules need of them, each party's count in the round and the last statement's key.
/// </summary>
public sealed class ConflictStatement
{
    public const int MaximumTextLength = 8000;
    public const int MaximumLinks = 20;

    /// <summary>
    /// The statements one party (a partner, or the vendor's direct team) may add in a round of the case (from its opening,
    /// or its latest reopening), over every claim it holds or held in it: a claim withdrawn and registered again is no
    /// fresh allowance. The arbiter's reading of the case carries them all, so a party that went on adding would make
    /// that reading larger for everyone.
    /// </summary>
    public const int MaximumPerPartyInARound = 20;

    private List<string> _links = [];

    private ConflictStatement()
    {
        AuthorId = string.Empty;
        Text = string.Empty;
    }

    internal ConflictStatement(Guid id, Guid conflictId, Guid claimId, string authorId, string text, IReadOnlyList<string> links, DateTimeOffset at)
    {
        Id = id;
        ConflictId = conflictId;
        ClaimId = claimId;
        AuthorId = authorId;
        Text = text;
        _links = links.ToList();
        At = at;
    }

    public Guid Id { get; private set; }

    /// <summary>The case the statement was made in.</summary>
    public Guid ConflictId { get; private set; }

    /// <summary>The claim (and so the party) the statement speaks for.</summary>
    public Guid ClaimId { get; private set; }

    public string AuthorId { get; private set; }

    public string Text { get; private set; }

    public IReadOnlyList<string> Links => _links;

    public DateTimeOffset At { get; private set; }
}

/// <summary>One entry of the append-only decision log.</summary>
public sealed class ConflictLogEntry
{
    private ConflictLogEntry()
    {
        Actor = string.Empty;
        Text = string.Empty;
    }

    internal ConflictLogEntry(Guid id, ConflictLogKind kind, string actor, DateTimeOffset at, string text, DecisionKind? decision = null, Guid? awardedClaimId = null)
    {
        Id = id;
        Kind = kind;
        Actor = actor;
        At = at;
        Text = text;
        Decision = decision;
        AwardedClaimId = awardedClaimId;
    }

    public Guid Id { get; private set; }

    public ConflictLogKind Kind { get; private set; }

    public string Actor { get; private set; }

    public DateTimeOffset At { get; private set; }

    public string Text { get; private set; }

    public DecisionKind? Decision { get; private set; }

    public Guid? AwardedClaimId { get; private set; }
}

/// <summary>
/// A channel-conflict case: two or more claims on one customer, the rule that fired and what it
/// recommends, an arbiter, an SLA, the parties' statements and an append-only decision log.
/// </summary>
public sealed class ChannelConflict : AggregateRoot
{
    public const int MaximumRationaleLength = 8000;

    private readonly List<ConflictClaim> _claims = [];
    private readonly List<ConflictLogEntry> _log = [];

    private ChannelConflict()
    {
        CustomerName = string.Empty;
        CustomerKey = string.Empty;
        Country = string.Empty;
        RuleFired = string.Empty;
        RuleExplanation = string.Empty;
        Recommendation = string.Empty;
        OpenedBy = string.Empty;
    }

    public string CustomerName { get; private set; }

    /// <summary>The key under which an open case on this customer is found (registrable domain, DUNS or name+country).</summary>
    public string CustomerKey { get; private set; }

    public string Country { get; private set; }

    public ConflictStatus Status { get; private set; }

    public int RulesVersion { get; private set; }

    /// <summary>The stable code of the rule that fired, e.g. <c>first_to_register</c>.</summary>
    public string RuleFired { get; private set; }

    /// <summary>Why the rule fired, in words, naming no party.</summary>
    public string RuleExplanation { get; private set; }

    public Guid? RecommendedClaimId { get; private set; }

    /// <summary>What the rules recommend, in words, naming no party.</summary>
    public string Recommendation { get; private set; }

    public Guid? ArbiterId { get; private set; }

    public DateTimeOffset SlaDueAt { get; private set; }

    public DateTimeOffset? EscalatedAt { get; private set; }

    public DateTimeOffset OpenedAt { get; private set; }

    public string OpenedBy { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    public DecisionKind? Decision { get; private set; }

    public Guid? AwardedClaimId { get; private set; }

    public string? Rationale { get; private set; }

    public IReadOnlyList<ConflictClaim> Claims => _claims;

    /// <summary>The key of the case's latest statement: each new one is keyed after it, so they read in the order made.</summary>
    public Guid? LastStatementId { get; private set; }

    public IReadOnlyList<ConflictLogEntry> Log => _log;

    /// <summary>Whether the case was ever reopened: a decision now decides it again.</summary>
    public bool WasReopened => _log.Exists(entry => entry.Kind == ConflictLogKind.Reopened);

    public static ChannelConflict Open(
        Guid id,
        string customerName,
        string customerKey,
        string country,
        IReadOnlyCollection<ConflictClaim> claims,
        ConflictRecommendation recommendation,
        int rulesVersion,
        TimeSpan sla,
        string actor,
        DateTimeOffset at)
    {
        if (claims.Count < 2 || claims.Select(c => c.ClaimId).Distinct().Count() != claims.Count)
        {
            throw new DomainException("conflict.needs_two_claims", "A conflict binds two or more different claims on one customer.");
        }

        var conflict = new ChannelConflict
        {
            Id = id,
            CustomerName = customerName,
            CustomerKey = customerKey,
            Country = country,
            Status = ConflictStatus.Open,
            RulesVersion = rulesVersion,
            SlaDueAt = at.Add(sla),
            OpenedAt = at,
            OpenedBy = actor,
        };
        conflict._claims.AddRange(claims);
        conflict.ApplyRecommendation(recommendation);
        conflict.Append(ConflictLogKind.Opened, actor, at, $"Case opened on {customerName} ({country}) with {claims.Count} claims; rule: {recommendation.Explanation}");
        conflict.Raise(new ConflictEvent(id, "conflict.opened", $"Case opened on {customerName} ({country}); decision due by {Instant(conflict.SlaDueAt)}.", actor, at));
        return conflict;
    }

    public bool Binds(Guid claimId) => _claims.Any(c => c.ClaimId == claimId);

    /// <summary>The vendor's direct opportunities among the claims, left or not.</summary>
    public IEnumerable<ConflictClaim> DirectClaims() => _claims.Where(c => c.Kind == ClaimKind.DirectOpportunity);

    /// <summary>Adds another claim on the same customer to this open case and re-reads the rules.</summary>
    public void Join(ConflictClaim claim, ConflictRecommendation recommendation, string actor, DateTimeOffset at)
    {
        EnsureOpen();
        if (Binds(claim.ClaimId))
        {
            return;
        }

        _claims.Add(claim);
        ApplyRecommendation(recommendation);
        Append(ConflictLogKind.ClaimJoined, actor, at, $"Another claim joined the case; rule: {recommendation.Explanation}");
        Raise(new ConflictEvent(Id, "conflict.claim_joined", "Another claim joined the case.", actor, at));
    }

    /// <summary>
    /// Puts on the case's timeline that a bound claim left it (withdrawn, closed as lost), so the arbiter decides
    /// knowing; the case stays open until decided. Nothing is recorded for a decided case, a claim it does not bind or
    /// one that left already. The rules (with the direct look-back of the case's version) recommend again among the
    /// claims still in it when the recommended one left, and the timeline says what they recommend now.
    /// </summary>
    public void RecordClaimLeft(Guid claimId, string how, int directLookbackDays, string actor, DateTimeOffset at)
    {
        if (Status != ConflictStatus.Open || _claims.FirstOrDefault(c => c.ClaimId == claimId) is not { HasLeft: false } claim)
        {
            return;
        }

        claim.Leave();
        var text = $"Claim {claimId} left the case: {how}.";
        // Only the recommended claim's leaving changes what the rules recommend, weighed as when the case opened: the
        // direct look-back counts back from then, not from the day a claim left.
        if (claimId == RecommendedClaimId && _claims.Any(c => !c.HasLeft) && ConflictRules.Recommend(_claims, directLookbackDays, OpenedAt) is var again)
        {
            ApplyRecommendation(again);
            text += $" Rule now: {again.Explanation}";
        }

        Append(ConflictLogKind.ClaimLeft, actor, at, text);
        Raise(new ConflictEvent(Id, "conflict.claim_left", "A claim left the case.", actor, at));
    }

    /// <summary>
    /// The direct opportunity bound as a claim changed owner: the new owner is the party now (the former owner no longer
    /// reads the case), whether the case is open or decided, so that a reopening finds the right party.
    /// </summary>
    public void PassClaimTo(Guid claimId, string ownerUserId, string actor, DateTimeOffset at)
    {
        var claim = _claims.FirstOrDefault(c => c.ClaimId == claimId && c.Kind == ClaimKind.DirectOpportunity);
        if (claim is null || claim.OwnerUserId == ownerUserId)
        {
            return;
        }

        claim.PassTo(ownerUserId);
        Append(ConflictLogKind.ClaimPassed, actor, at, $"The direct opportunity {claimId} passed to rep {ownerUserId}, who answers for its claim now.");
        Raise(new ConflictEvent(Id, "conflict.claim_passed", "A claim's owner changed.", actor, at));
    }

    public void Assign(Guid arbiterId, string actor, DateTimeOffset at)
    {
        EnsureOpen();
        if (ArbiterId == arbiterId)
        {
            // Already the case's arbiter: nothing changed, so nothing is logged or told to the parties.
            return;
        }

        var former = ArbiterId;
        ArbiterId = arbiterId;
        Append(ConflictLogKind.Assigned, actor, at, $"Assigned to arbiter {arbiterId}.");
        Raise(new ConflictEvent(Id, "conflict.assigned", "An arbiter was assigned.", actor, at) { FormerArbiterId = former });
    }

    /// <summary>Leaves an open case to nobody (its arbiter is no longer active, and no other may take it): an admin assigns one.</summary>
    public void Unassign(string why, string actor, DateTimeOffset at)
    {
        EnsureOpen();
        var former = ArbiterId;
        ArbiterId = null;
        Append(ConflictLogKind.Assigned, actor, at, $"Unassigned: {why}");
        Raise(new ConflictEvent(Id, "conflict.assigned", "The case waits for an arbiter.", actor, at) { FormerArbiterId = former });
    }

    /// <summary>Adds a party's statement to the case; the caller stores the statement it answers.</summary>
    public ConflictStatement AddStatement(Guid claimId, string authorId, string text, IReadOnlyList<string> links, DateTimeOffset at)
    {
        EnsureOpen();
        if (!Binds(claimId))
        {
            throw new DomainValidationException("conflict.claim_not_in_case", "claimId", "That claim is not part of this case.");
        }

        var claim = _claims.Single(c => c.ClaimId == claimId);
        if (claim.HasLeft)
        {
            throw new DomainException("conflict.claim_left", "Your claim left this case (withdrawn or closed); the case goes on without statements from you.");
        }

        if (string.IsNullOrWhiteSpace(text) || FreeText.IsLongerThan(text, ConflictStatement.MaximumTextLength))
        {
            throw new DomainValidationException("conflict.statement_invalid", "text", $"A statement has 1 to {ConflictStatement.MaximumTextLength} characters.");
        }

        if (links.Count > ConflictStatement.MaximumLinks || links.Any(l => !EvidenceLinks.IsValid(l)))
        {
            throw new DomainValidationException("conflict.link_invalid", "links", $"At most {ConflictStatement.MaximumLinks} links. {EvidenceLinks.Rule}");
        }

        // The party's claims: its partner's registrations, or the direct team's opportunities (which hold no partner).
        if (_claims.Where(c => c.PartnerId == claim.PartnerId).Sum(c => c.StatementsThisRound) >= ConflictStatement.MaximumPerPartyInARound)
        {
            throw new DomainException("conflict.statement_limit",
                $"A party adds at most {ConflictStatement.MaximumPerPartyInARound} statements while the case is open, over all its claims in it (as many again after a reopening), and yours has added them all.");
        }

        var statement = new ConflictStatement(After(LastStatementId is { } last ? [last] : []), Id, claimId, authorId, text.Trim(), links, at);
        LastStatementId = statement.Id;
        claim.CountStatement();
        Raise(new ConflictEvent(Id, "conflict.statement_added", "A party added a statement.", authorId, at));
        return statement;
    }

    public bool IsOverdue(DateTimeOffset at) => Status == ConflictStatus.Open && at > SlaDueAt;

    /// <summary>Escalates an overdue case to the admins, once.</summary>
    public bool Escalate(DateTimeOffset at)
    {
        if (!IsOverdue(at) || EscalatedAt is not null)
        {
            return false;
        }

        EscalatedAt = at;
        Append(ConflictLogKind.Escalated, Actors.System, at, $"Not decided by {Instant(SlaDueAt)}: escalated to the admins.");
        Raise(new ConflictEvent(Id, "conflict.escalated", "The case passed its SLA and was escalated to the admins.", Actors.System, at));
        return true;
    }

    /// <summary>Refuses a second decision (409) until an admin reopens the case.</summary>
    public void EnsureUndecided()
    {
        if (Status == ConflictStatus.Decided)
        {
            throw AlreadyDecided();
        }
    }

    /// <summary>What a decision, a statement or an assignment of a decided case is told.</summary>
    public static DomainException AlreadyDecided() =>
        new("conflict.already_decided", "This case is already decided; an admin can reopen it with a reason.");

    public void Decide(DecisionKind decision, Guid? awardedClaimId, string rationale, string arbiter, DateTimeOffset at)
    {
        EnsureUndecided();

        if (!Enum.IsDefined(decision))
        {
            throw new DomainValidationException("conflict.decision_unknown", "decision", "Unknown decision.");
        }

        if (string.IsNullOrWhiteSpace(rationale) || FreeText.IsLongerThan(rationale, MaximumRationaleLength))
        {
            throw new DomainValidationException("conflict.rationale_required", "rationale", $"A decision needs a written rationale of 1 to {MaximumRationaleLength} characters.");
        }

        if (decision == DecisionKind.RejectAll ? awardedClaimId is not null : awardedClaimId is null || !Binds(awardedClaimId.Value))
        {
            throw new DomainValidationException("conflict.claim_not_in_case", "awardedClaimId",
                decision == DecisionKind.RejectAll ? "Rejecting all claims awards none." : "The awarded claim must be one of the case's claims.");
        }

        // Another party still in the case: a claim that left it is nobody to co-sell with, nor is a claim of the awarded party's own.
        if (decision == DecisionKind.CoSell && _claims.Single(c => c.ClaimId == awardedClaimId).PartnerId is var awardedParty
            && !_claims.Any(c => c.ClaimId != awardedClaimId && !c.HasLeft && c.PartnerId != awardedParty))
        {
            throw new DomainValidationException("conflict.cosell_needs_other_party", "decision", "Co-sell needs another party still in the case to invite; award the claim instead.");
        }

        Status = ConflictStatus.Decided;
        Decision = decision;
        AwardedClaimId = awardedClaimId;
        Rationale = rationale.Trim();
        DecidedAt = at;
        Append(ConflictLogKind.Decided, arbiter, at, Rationale, decision, awardedClaimId);
        Raise(new ConflictEvent(Id, "conflict.decided", $"Decided: {Describe(decision)}.", arbiter, at));
    }

    /// <summary>
    /// Records who the co-sell decision invited to the joint opportunity: the partners named, and the direct claim whose
    /// rep owns it (when a partner's claim is awarded). The case's other direct claims are not invited: their deals closed
    /// with the decision, and their reps work no joint deal.
    /// </summary>
    public void RecordInvited(IReadOnlySet<Guid> partnerIds, Guid? coSellingDirectClaimId)
    {
        if (Decision != DecisionKind.CoSell)
        {
            throw new DomainException("conflict.not_co_sell", "Only a co-sell decision invites parties.");
        }

        foreach (var claim in _claims.Where(c => c.ClaimId != AwardedClaimId))
        {
            claim.MarkInvited(!claim.HasLeft && (claim.PartnerId is { } partner ? partnerIds.Contains(partner) : claim.ClaimId == coSellingDirectClaimId));
        }
    }

    /// <summary>An admin reopens a decided case; the earlier decision stays in the log.</summary>
    public void Reopen(string reason, string admin, DateTimeOffset at, TimeSpan sla)
    {
        if (Status != ConflictStatus.Decided)
        {
            throw new DomainException("conflict.not_decided", "Only a decided case can be reopened.");
        }

        if (string.IsNullOrWhiteSpace(reason) || FreeText.IsLongerThan(reason, MaximumRationaleLength))
        {
            throw new DomainValidationException("conflict.reason_required", "reason", "Reopening needs a written reason.");
        }

        Status = ConflictStatus.Open;
        Decision = null;
        AwardedClaimId = null;
        foreach (var claim in _claims)
        {
            claim.MarkInvited(null);
            claim.StartRound();
        }

        Rationale = null;
        DecidedAt = null;
        EscalatedAt = null;
        SlaDueAt = at.Add(sla);
        Append(ConflictLogKind.Reopened, admin, at, reason.Trim());
        Raise(new ConflictEvent(Id, "conflict.reopened", "The case was reopened by an admin.", admin, at));
    }

    private void ApplyRecommendation(ConflictRecommendation recommendation)
    {
        RuleFired = recommendation.Rule;
        RuleExplanation = recommendation.Explanation;
        RecommendedClaimId = recommendation.RecommendedClaimId;
        Recommendation = recommendation.Wording;
    }

    private void EnsureOpen()
    {
        if (Status != ConflictStatus.Open)
        {
            throw new DomainException("conflict.already_decided", "This case is decided; nothing can be added to it.");
        }
    }

    private void Append(ConflictLogKind kind, string actor, DateTimeOffset at, string text, DecisionKind? decision = null, Guid? awarded = null) =>
        _log.Add(new ConflictLogEntry(After(_log.Select(e => e.Id)), kind, actor, at, text, decision, awarded));

    /// <summary>
    /// A key after every one given: the case's log and statements are stored, loaded and shown in their keys' order, and
    /// a version 7 GUID is random within its millisecond, so entries one command writes (opened, then assigned) could
    /// otherwise read in another order.
    /// </summary>
    private static Guid After(IEnumerable<Guid> keys)
    {
        var next = Guid.CreateVersion7();
        var last = keys.Select(k => k.ToString("N")).Max(StringComparer.Ordinal);
        return last is null || string.CompareOrdinal(next.ToString("N"), last) > 0
            ? next
            : Guid.ParseExact((UInt128.Parse(last, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString("x32", System.Globalization.CultureInfo.InvariantCulture), "N");
    }

    private static string Describe(DecisionKind decision) => decision switch
    {
        DecisionKind.Award => "awarded to one claim",
        DecisionKind.CoSell => "awarded to one claim, with the other party invited to co-sell",
        _ => "every claim rejected",
    };
}

public sealed record ConflictEvent(Guid ConflictId, string Type, string Summary, string Actor, DateTimeOffset OccurredAt) : IDomainEvent
{
    /// <summary>On an assignment, the arbiter the case leaves, who is told so as the one it goes to is.</summary>
    public Guid? FormerArbiterId { get; init; }
}
