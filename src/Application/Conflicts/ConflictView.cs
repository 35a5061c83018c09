using CoSell.Application.Abstractions;
using CoSell.Domain.Conflicts;
using CoSell.Domain.Customers.Identity;
using CoSell.Domain.Users;

namespace CoSell.Application.Conflicts;

/// <summary>Who a user is in a case, and what of it they may see.</summary>
public sealed class ConflictView(ICurrentUser user, TimeProvider time, IConflictStatements statements)
{
    /// <summary>The claims of the case that belong to the caller (a partner's registrations, a rep's direct opportunities).</summary>
    public IReadOnlyList<ConflictClaim> OwnClaims(ChannelConflict conflict) => conflict.Claims.Where(IsOwn).ToList();

    /// <summary>Vendor roles that oversee conflicts see all of a case.</summary>
    public bool SeesEverything => user.Role is Roles.Arbiter or Roles.Admin or Roles.ChannelManager;

    public bool IsParty(ChannelConflict conflict) => conflict.Claims.Any(IsOwn);

    /// <summary>A case as a reading of it shows it: with the statements the caller may read and, to the vendor, its log.</summary>
    public async Task<ConflictDto> ForAsync(ChannelConflict conflict, CancellationToken cancellationToken)
    {
        var own = OwnClaimIds(conflict);
        var readable = await statements.ListAsync(conflict, SeesEverything ? null : own, cancellationToken);
        return For(conflict, own, readable.Select(s => new ConflictStatementDto(s.Id, s.ClaimId, s.AuthorId, s.Text, s.Links, s.At)).ToList());
    }

    /// <summary>A case as a list shows it: without its statements and log, which only a reading of the case carries.</summary>
    public ConflictDto Listed(ChannelConflict conflict) => For(conflict, OwnClaimIds(conflict), statements: null);

    private HashSet<Guid> OwnClaimIds(ChannelConflict conflict) => conflict.Claims.Where(IsOwn).Select(c => c.ClaimId).ToHashSet();

    private ConflictDto For(ChannelConflict conflict, HashSet<Guid> own, List<ConflictStatementDto>? statements)
    {
        var everything = SeesEverything;
        var whole = statements is not null;
        var claims = conflict.Claims.Where(c => everything || own.Contains(c.ClaimId)).Select(c => Claim(c, own)).ToList();
        // A party reads the customer as it wrote it, name and country: the case's are those of the claim that opened it,
        // which may be a rival's.
        var ownClaim = everything ? null : conflict.Claims.FirstOrDefault(c => own.Contains(c.ClaimId));
        return new ConflictDto(
            conflict.Id,
            conflict.Status,
            ownClaim?.CustomerName ?? conflict.CustomerName,
            ownClaim?.Country ?? conflict.Country,
            conflict.OpenedAt,
            conflict.SlaDueAt,
            conflict.IsOverdue(time.GetUtcNow()),
            conflict.EscalatedAt,
            conflict.RulesVersion,
            conflict.RuleFired,
            conflict.Recommendation,
            everything ? conflict.RuleExplanation : null,
            everything ? conflict.RecommendedClaimId : null,
            everything ? null : conflict.RecommendedClaimId is { } r && own.Contains(r),
            everything ? conflict.ArbiterId : null,
            claims,
            statements,
            Decision(conflict, own, everything),
            everything && whole ? conflict.Log.Select(l => new ConflictLogDto(l.Kind, l.Actor, l.At, l.Text, l.Decision, l.AwardedClaimId)).ToList() : null,
            conflict.Version);
    }

    private static ConflictDecisionDto? Decision(ChannelConflict conflict, HashSet<Guid> own, bool everything)
    {
        if (conflict.Status != ConflictStatus.Decided)
        {
            return null;
        }

        var awarded = conflict.AwardedClaimId;
        var awardedToYou = awarded is { } a && own.Contains(a);
        // Only the parties a co-sell decision invited co-sell, and only they learn of each other; a case decided before
        // the invited parties were kept reads every claim still in the case as one.
        static bool Invited(ConflictClaim c) => c.Invited ?? !c.HasLeft;
        var coSelling = conflict.Decision == DecisionKind.CoSell && (everything || awardedToYou || conflict.Claims.Any(c => own.Contains(c.ClaimId) && Invited(c)));
        List<ConflictClaimDto>? coSellWith = null;
        if (coSelling)
        {
            // The awarded party (and the vendor, which reads the award in awardedClaimId) sees every invited party; an
            // invited party sees the awarded one, not the other invited ones.
            var awardedPartner = conflict.Claims.FirstOrDefault(c => c.ClaimId == awarded)?.PartnerId;
            var others = everything || awardedToYou
                ? conflict.Claims.Where(c => c.ClaimId != awarded && Invited(c) && c.PartnerId is not null && c.PartnerId != awardedPartner)
                : conflict.Claims.Where(c => c.ClaimId == awarded);
            coSellWith = others.Select(c => Claim(c, own)).ToList() is { Count: > 0 } named ? named : null;
        }

        return new ConflictDecisionDto(
            conflict.Decision!.Value,
            everything || awardedToYou || coSelling ? awarded : null,
            everything ? null : awardedToYou,
            conflict.Rationale!,
            conflict.DecidedAt!.Value,
            coSellWith);
    }

    private static ConflictClaimDto Claim(ConflictClaim c, HashSet<Guid> own) =>
        new(c.ClaimId, c.Kind, c.PartnerId, c.ClaimedAt, EnumNames.Of(c.Status), own.Contains(c.ClaimId));

    private bool IsOwn(ConflictClaim claim) =>
        claim.Kind == ClaimKind.Registration
            ? user.IsPartner() && claim.PartnerId == user.PartnerId
            : user.Role == Roles.Rep && claim.OwnerUserId == user.UserId;
}
