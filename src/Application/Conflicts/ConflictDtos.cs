using CoSell.Application.Abstractions;
using CoSell.Domain.Conflicts;
using CoSell.Domain.Customers.Identity;

namespace CoSell.Application.Conflicts;

/// <param name="Status">The claim's status when it joined the case (a registration's status, a direct opportunity's stage), or <c>left</c>: one of <see cref="Names"/>.</param>
public sealed record ConflictClaimDto(Guid ClaimId, ClaimKind Kind, Guid? PartnerId, DateTimeOffset ClaimedAt, string Status, bool Yours)
{
    /// <summary>Every name a claim's status may read, as written: a registration's statuses, an opportunity's stages, then <c>left</c>.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [.. EnumNames.All(typeof(Domain.Registrations.RegistrationStatus)).Concat(EnumNames.All(typeof(Domain.Opportunities.OpportunityStage))).Append(EnumNames.Of(ConflictClaim.LeftStatus)).Distinct()];
}

public sealed record ConflictStatementDto(Guid Id, Guid ClaimId, string AuthorId, string Text, IReadOnlyList<string> Links, DateTimeOffset At);

public sealed record ConflictLogDto(ConflictLogKind Kind, string Actor, DateTimeOffset At, string Text, DecisionKind? Decision, Guid? AwardedClaimId);

/// <summary>The decision as the caller may see it: a party learns whether it won, and whom it co-sells with.</summary>
/// <param name="CoSellWith">
/// Whom a co-sell decision has the reader co-sell with: every invited partner to the vendor and the awarded party (a
/// direct rep that co-sells is among the case's claims), the awarded claim to an invited party; null when there is no one.
/// </param>
public sealed record ConflictDecisionDto(DecisionKind Kind, Guid? AwardedClaimId, bool? AwardedToYou, string Rationale, DateTimeOffset DecidedAt, IReadOnlyList<ConflictClaimDto>? CoSellWith);

/// <summary>
/// A conflict case. Channel managers, arbiters and admins see every claim, statement and log entry; a party (a partner,
/// or the rep of a direct claim) sees its own claim and statements, the customer's name and country as that claim wrote
/// them, the rule's wording, whether the recommendation is its claim, and the decision. A list's items carry neither
/// statements nor log (null): reading the case carries them.
/// </summary>
public sealed record ConflictDto(
    Guid Id,
    ConflictStatus Status,
    string CustomerName,
    string Country,
    DateTimeOffset OpenedAt,
    DateTimeOffset SlaDueAt,
    bool Overdue,
    DateTimeOffset? EscalatedAt,
    int RulesVersion,
    string RuleFired,
    string Recommendation,
    string? RuleExplanation,
    Guid? RecommendedClaimId,
    bool? RecommendationIsYours,
    Guid? ArbiterId,
    IReadOnlyList<ConflictClaimDto> Claims,
    IReadOnlyList<ConflictStatementDto>? Statements,
    ConflictDecisionDto? Decision,
    IReadOnlyList<ConflictLogDto>? Log,
    long Version) : IVersionedDto
{
    /// <summary>A case past its SLA reads overdue before the escalation service records it (and moves its version on).</summary>
    public bool IsAnsweredByItsVersion() => !Overdue || EscalatedAt is not null;
}

public sealed record ConflictMeasuresDto(DateTimeOffset From, DateTimeOffset To, int OpenNow, int OpenedInPeriod, int DecidedInPeriod, double? MedianHoursToDecision, int SlaBreachesInPeriod);
