using Ardalis.Specification;
using CoSell.Application.Abstractions;
using CoSell.Application.RulesOfEngagement;
using CoSell.Domain.Conflicts;
using CoSell.Domain.Customers.Identity;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Partners;
using CoSell.Domain.Registrations;
using CoSell.Domain.Users;
using Rules = CoSell.Domain.Rules.RulesOfEngagement;

namespace CoSell.Application.Conflicts;

public sealed class ActiveArbitersSpec : Specification<User>
{
    public ActiveArbitersSpec() => Query.Where(u => u.Role == Roles.Arbiter && u.IsActive).OrderBy(u => u.UserName);
}

public sealed class PartnersByIdSpec : Specification<Partner>
{
    public PartnersByIdSpec(IReadOnlyCollection<Guid> ids) => Query.Where(p => ids.Contains(p.Id));
}

public sealed class OpportunitiesByIdSpec : Specification<Opportunity>
{
    public OpportunitiesByIdSpec(IReadOnlyCollection<Guid> ids) => Query.Where(o => ids.Contains(o.Id));
}

public sealed class RegistrationsByIdSpec : Specification<DealRegistration>
{
    public RegistrationsByIdSpec(IReadOnlyCollection<Guid> ids) => Query.Where(r => ids.Contains(r.Id));
}

/// <summary>
/// Opens a conflict case on a registration that likely duplicates another party's live claim, or binds it
/// into the open case on that customer; assigns the least-loaded arbiter who manages no party.
/// </summary>
public sealed class ConflictOpener(
    IRepository<ChannelConflict> conflicts,
    IRepository<DealRegistration> registrations,
    IRepository<Partner> partners,
    IRepository<User> users,
    IActiveRules rules,
    IRepository<Rules> versions,
    IRepository<Opportunity> opportunities,
    IOpenConflictFinder finder)
{
    /// <param name="openedBy">
    /// Who opens the case by hand, as the partner reads it ("its channel manager", "an admin"), rather than a submission
    /// judged a likely duplicate: the timeline says so.
    /// </param>
    /// <param name="namedBy">Who opens the case by hand, as the other claims' partners read it ("a channel manager").</param>
    public async Task<ChannelConflict?> OpenOrJoinAsync(
        DealRegistration registration, IReadOnlyList<ClaimReference> matches, string actor, DateTimeOffset at, CancellationToken cancellationToken, string? openedBy = null, string? namedBy = null)
    {
        // A claim a case binds beside the registration's is the service's doing when another claim joined it or collided
        // with it (its partner's timeline does not name whose), and the person's who opened the case when it was by hand.
        var arrived = (Actor: Domain.SeedWork.Actors.System, Why: "another claim on the same customer arrived.");
        var bound = namedBy is null ? arrived : (Actor: actor, Why: $"{namedBy} opened a case on this customer that binds this claim.");
        // Only another party's claim makes a channel conflict; a partner's own repeat is a plain duplicate. Only a likely
        // duplicate is bound: a merely possible one may be another customer, and a case is about one.
        var active = await rules.GetAsync(cancellationToken);
        var rivals = matches.Where(m => (m.Kind == ClaimKind.DirectOpportunity || m.PartnerId != registration.PartnerId) && m.Score >= active.LikelyDuplicateThreshold).ToList();
        if (rivals.Count == 0)
        {
            return null;
        }

        var own = ConflictClaim.Of(registration, at);
        var existing = await finder.FindBindingAsync([.. rivals.Select(r => r.ClaimId), registration.Id], cancellationToken) is { } caseId
            ? await conflicts.GetByIdAsync(caseId, cancellationToken)
            : null;
        if (existing is not null)
        {
            // A claim joining a case is weighed under the rules the case was opened under, not a version published since,
            // and as at its opening: the direct look-back counts back from then, as when a claim leaves the case, so a
            // direct engagement inside it when the case opened does not fall out of it because a rival joined later.
            var lookback = existing.RulesVersion == active.Number ? active.DirectLookbackDays : await versions.DirectLookbackDaysAsync(existing.RulesVersion, cancellationToken);
            existing.Join(own, ConflictRules.Recommend([.. existing.Claims, own], lookback, existing.OpenedAt), actor, at);
            registration.FlagConflict("it joined the open case on this customer.", actor, at);

            // The other live claims this submission collides with join the case too, unless another case holds them:
            // a rival's exact duplicate left outside could be approved on its own while the case decides the customer.
            var unbound = rivals.Where(r => !existing.Binds(r.ClaimId)).ToList();
            var heldElsewhere = unbound.Count == 0 ? new HashSet<Guid>() : await finder.BoundAmongAsync([.. unbound.Select(r => r.ClaimId)], cancellationToken);
            var outside = unbound.Where(r => !heldElsewhere.Contains(r.ClaimId)).ToList();

            // Brought in by hand (a case opened for a claim the open one missed, naming others), they join as that person's doing.
            var joining = namedBy is null ? arrived : (Actor: actor, Why: $"{namedBy} brought this claim into the open case on this customer.");
            foreach (var rival in (await RivalClaimsAsync(outside, joining, at, cancellationToken)).Claims)
            {
                existing.Join(rival, ConflictRules.Recommend([.. existing.Claims, rival], lookback, existing.OpenedAt), joining.Actor, at);
            }

            return existing;
        }

        var bySubmission = openedBy is null;
        var (rivalClaims, lapsed) = await RivalClaimsAsync(rivals, bound, at, cancellationToken);
        List<ConflictClaim> boundClaims = [own, .. rivalClaims];
        if (boundClaims.Count < 2)
        {
            // A submission was judged a likely duplicate of claims the store held live, and none is live now: unless a
            // window ran out (the rival is written expired, and weighed as ended already), their exit committed between
            // that read and this one, and the verdict rests on claims that are gone. Kept, it would wait for review as a
            // likely duplicate, in no case; judged again, it may be approved at once.
            return bySubmission && lapsed == 0
                ? throw new ConcurrentChangeException("conflict.concurrent_change", "A claim this submission was judged against was withdrawn or closed at the same moment; submit it again.")
                : null;
        }

        var customer = registration.Customer;
        var conflict = ChannelConflict.Open(
            Guid.CreateVersion7(),
            customer.Name.Value,
            customer.Domain?.Registrable ?? customer.Duns?.Value ?? $"{customer.Name.Value.ToUpperInvariant()}|{customer.Country.Value}",
            customer.Country.Value,
            boundClaims,
            ConflictRules.Recommend(boundClaims, active.DirectLookbackDays, at),
            active.Number,
            TimeSpan.FromHours(active.ConflictSlaHours),
            actor,
            at);
        // The reasons stay with the case (vendor eyes only); the partner's timeline says no more than the verdict.
        registration.FlagConflict(bySubmission ? "likely duplicate of another party's claim." : $"{openedBy} opened a case on this customer with another party's claim.", actor, at);
        // A case opened by hand, a rare vendor action as an assignment is, holds its arbiter as one does: a deactivation
        // that read the arbiter before the case committed is refused. Submissions opening cases at once would refuse each other.
        if (await LeastLoadedArbiterAsync(conflict, cancellationToken, holdArbiter: !bySubmission) is { } arbiter)
        {
            // The service picks the arbiter, not the partner whose submission opened the case.
            conflict.Assign(arbiter, Domain.SeedWork.Actors.System, at);
        }

        conflicts.Add(conflict);
        return conflict;
    }

    /// <summary>
    /// The live claims among the matched rivals, as a case binds them: registrations in an active state (moved to
    /// conflict, recorded as <paramref name="bound"/> says) and open direct opportunities.
    /// </summary>
    /// <returns>The claims bound, and how many registrations were passed over as their window had ended.</returns>
    private async Task<(List<ConflictClaim> Claims, int Lapsed)> RivalClaimsAsync(IReadOnlyList<ClaimReference> rivals, (string Actor, string Why) bound, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var claims = new List<ConflictClaim>();
        var lapsed = 0;
        var rivalRegistrations = await registrations.ListAsync(new RegistrationsByIdSpec(rivals.Where(r => r.Kind == ClaimKind.Registration).Select(r => r.ClaimId).ToList()), cancellationToken);
        foreach (var rival in rivalRegistrations.Where(r => RegistrationLifecycle.ActiveClaim.Contains(r.Status)))
        {
            // Its window has ended and no case holds it (one that does is bound there already): it has expired, though
            // the expiry service has not written so yet. It is written now, and protects nothing to be decided.
            if (rival.ExpireIfProtectionOver(at))
            {
                lapsed++;
                continue;
            }

            claims.Add(ConflictClaim.Of(rival, at));
            if (RegistrationLifecycle.TryMove(rival.Status, RegistrationAction.FlagConflict, out _))
            {
                rival.FlagConflict(bound.Why, bound.Actor, at);
            }
            else if (rival.Status == RegistrationStatus.Approved)
            {
                // Its version moves on, so a conversion that read it before the case opened does not commit beside the case.
                rival.HoldForConflict(bound.Why, bound.Actor, at);
            }
        }

        var direct = rivals.Where(r => r.Kind == ClaimKind.DirectOpportunity).Select(r => r.ClaimId).ToList();
        if (direct.Count > 0)
        {
            var owned = await opportunities.ListAsync(new OpportunitiesByIdSpec(direct), cancellationToken);
            foreach (var opportunity in owned.Where(o => o.IsOpen))
            {
                claims.Add(ConflictClaim.Of(opportunity, at));

                // Bound as read, and its version moves on with a line the vendor's watchers get: a close or a change of
                // owner that read it before the case opened does not commit beside the case (submissions on the same
                // claim wait for each other at the gate).
                opportunity.BindToConflict(bound.Why, bound.Actor, at);
            }
        }

        return (claims, lapsed);
    }

    /// <summary>The channel managers of the partners who are parties to the case.</summary>
    public async Task<IReadOnlySet<Guid>> PartyManagersAsync(ChannelConflict conflict, CancellationToken cancellationToken)
    {
        var partnerIds = conflict.Claims.Where(c => c.PartnerId is not null).Select(c => c.PartnerId!.Value).Distinct().ToList();
        var parties = await partners.ListAsync(new PartnersByIdSpec(partnerIds), cancellationToken);
        return parties.Where(p => p.ChannelManagerId is not null).Select(p => p.ChannelManagerId!.Value).ToHashSet();
    }

    /// <summary>
    /// The least-loaded active arbiter who manages none of the case's parties, assigned only while still active. With
    /// <paramref name="holdArbiter"/> its version also moves on, so a deactivation that read it first is refused too: for
    /// an admin's reopening, not for cases opened by submissions, which would otherwise refuse each other (README, Limits).
    /// </summary>
    public async Task<Guid?> LeastLoadedArbiterAsync(ChannelConflict conflict, CancellationToken cancellationToken, bool holdArbiter = false)
    {
        var excluded = await PartyManagersAsync(conflict, cancellationToken);
        var candidates = (await users.ListAsync(new ActiveArbitersSpec(), cancellationToken)).Where(u => !excluded.Contains(u.Id)).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        // Arbiters are few: one indexed count each beats reading every open case.
        var load = new Dictionary<Guid, int>();
        foreach (var candidate in candidates)
        {
            load[candidate.Id] = await conflicts.CountAsync(new OpenCasesOfArbiterSpec(candidate.Id), cancellationToken);
        }

        var chosen = candidates.OrderBy(u => load[u.Id]).ThenBy(u => u.UserName, StringComparer.Ordinal).First();
        // Assigned only while still active: a deactivation that commits first refuses the case rather than leave it to nobody.
        users.RequireUnchanged(chosen, moveVersionOn: holdArbiter);
        return chosen.Id;
    }
}
