using Ardalis.Specification;
using CoSell.Application.Abstractions;
using CoSell.Application.RulesOfEngagement;
using CoSell.Domain.Conflicts;
using CoSell.Domain.Customers.Identity;
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
    IRepository<Rules> rules)
{
    public async Task<ChannelConflict?> OpenOrJoinAsync(DealRegistration registration, IReadOnlyList<ClaimReference> matches, string actor, DateTimeOffset at, CancellationToken cancellationToken)
    {
        // Only another party's claim makes a channel conflict; a partner's own repeat is a plain duplicate.
        var rivals = matches.Where(m => m.Kind == ClaimKind.DirectOpportunity || m.PartnerId != registration.PartnerId).ToList();
        if (rivals.Count == 0)
        {
            return null;
        }

        var active = await rules.ActiveAsync(cancellationToken);
        var own = ClaimOf(registration, at);
        var existing = await conflicts.FirstOrDefaultAsync(new OpenConflictBindingSpec([.. rivals.Select(r => r.ClaimId), registration.Id]), cancellationToken);
        var reason = string.Join("; ", rivals.SelectMany(r => r.Reasons).Distinct());
        if (existing is not null)
        {
            var claims = existing.Claims.Append(own).ToList();
            existing.Join(own, ConflictRules.Recommend(claims, active.DirectLookbackDays, at), actor, at);
            registration.FlagConflict($"joined the open case on this customer ({reason}).", actor, at);
            return existing;
        }

        var boundClaims = new List<ConflictClaim> { own };
        var rivalRegistrations = await registrations.ListAsync(new RegistrationsByIdSpec(rivals.Where(r => r.Kind == ClaimKind.Registration).Select(r => r.ClaimId).ToList()), cancellationToken);
        foreach (var rival in rivalRegistrations.Where(r => RegistrationLifecycle.ActiveClaim.Contains(r.Status)))
        {
            boundClaims.Add(ClaimOf(rival, at));
            if (RegistrationLifecycle.TryMove(rival.Status, RegistrationAction.FlagConflict, out _))
            {
                rival.FlagConflict("another partner registered the same customer.", actor, at);
            }
        }

        boundClaims.AddRange(rivals.Where(r => r.Kind == ClaimKind.DirectOpportunity)
            .Select(r => new ConflictClaim(r.ClaimId, ClaimKind.DirectOpportunity, null, null, r.ClaimedAt, "open", at)));
        if (boundClaims.Count < 2)
        {
            return null;
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
        registration.FlagConflict($"likely duplicate of another claim ({reason}).", actor, at);
        if (await LeastLoadedArbiterAsync(conflict, cancellationToken) is { } arbiter)
        {
            conflict.Assign(arbiter, actor, at);
        }

        conflicts.Add(conflict);
        return conflict;
    }

    /// <summary>The channel managers of the partners who are parties to the case.</summary>
    public async Task<IReadOnlySet<Guid>> PartyManagersAsync(ChannelConflict conflict, CancellationToken cancellationToken)
    {
        var partnerIds = conflict.Claims.Where(c => c.PartnerId is not null).Select(c => c.PartnerId!.Value).Distinct().ToList();
        var parties = await partners.ListAsync(new PartnersByIdSpec(partnerIds), cancellationToken);
        return parties.Where(p => p.ChannelManagerId is not null).Select(p => p.ChannelManagerId!.Value).ToHashSet();
    }

    private async Task<Guid?> LeastLoadedArbiterAsync(ChannelConflict conflict, CancellationToken cancellationToken)
    {
        var excluded = await PartyManagersAsync(conflict, cancellationToken);
        var candidates = (await users.ListAsync(new ActiveArbitersSpec(), cancellationToken)).Where(u => !excluded.Contains(u.Id)).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        var load = (await conflicts.ListAsync(new OpenCaseArbitersSpec(), cancellationToken))
            .Where(a => a is not null).GroupBy(a => a!.Value).ToDictionary(g => g.Key, g => g.Count());
        return candidates.OrderBy(u => load.GetValueOrDefault(u.Id)).ThenBy(u => u.UserName, StringComparer.Ordinal).First().Id;
    }

    public static ConflictClaim ClaimOf(DealRegistration registration, DateTimeOffset at) =>
        new(registration.Id, ClaimKind.Registration, registration.PartnerId, registration.RegisteredBy, registration.SubmittedAt ?? registration.CreatedAt, registration.Status.ToString(), at);
}
