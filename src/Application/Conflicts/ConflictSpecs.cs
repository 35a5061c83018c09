using Ardalis.Specification;
using CoSell.Application.Abstractions;
using CoSell.Domain.Conflicts;
using CoSell.Domain.Customers.Identity;

namespace CoSell.Application.Conflicts;

/// <summary>Who may be listed what: filters by state, SLA, arbiter and party.</summary>
public sealed record ConflictFilter(ConflictStatus? Status, bool? Overdue, Guid? ArbiterId, Guid? PartnerId, string? DirectOwner, DateTimeOffset Now);

public sealed class ConflictsSpec : Specification<ChannelConflict>
{
    public ConflictsSpec(ConflictFilter filter, PageRequest? page, ListPlace? after = null, Guid? only = null)
    {
        Query.ReadsOn(c => c.SlaDueAt, newestFirst: false, after, only);
        if (filter.Status is { } status)
        {
            Query.Where(c => c.Status == status);
        }

        if (filter.Overdue is { } overdue)
        {
            var now = filter.Now;
            Query.Where(c => overdue ? c.Status == ConflictStatus.Open && c.SlaDueAt < now : !(c.Status == ConflictStatus.Open && c.SlaDueAt < now));
        }

        if (filter.ArbiterId is { } arbiter)
        {
            Query.Where(c => c.ArbiterId == arbiter);
        }

        if (filter.PartnerId is { } partner)
        {
            Query.Where(c => c.Claims.Any(cl => cl.Kind == ClaimKind.Registration && cl.PartnerId == partner));
        }

        if (filter.DirectOwner is { } owner)
        {
            Query.Where(c => c.Claims.Any(cl => cl.Kind == ClaimKind.DirectOpportunity && cl.OwnerUserId == owner));
        }

        if (page is not null)
        {
            Query.Skip(page.Skip).Take(page.PageSize).AsNoTracking();
        }
    }
}

/// <summary>The cases that awarded the claim (co-sold or not): a joint opportunity one of them opened is the claim's.</summary>
public sealed class AwardsOfClaimSpec : Specification<ChannelConflict, Guid>
{
    public AwardsOfClaimSpec(Guid claimId) =>
        Query.Where(c => c.AwardedClaimId == claimId).AsNoTracking().Select(c => c.Id);
}

/// <summary>The open cases of one arbiter, to find the least loaded.</summary>
public sealed class OpenCasesOfArbiterSpec : Specification<ChannelConflict>
{
    public OpenCasesOfArbiterSpec(Guid arbiterId) => Query.Where(c => c.ArbiterId == arbiterId && c.Status == ConflictStatus.Open);
}

public sealed class OverdueConflictsSpec : Specification<ChannelConflict>
{
    public OverdueConflictsSpec(DateTimeOffset now, int batch) =>
        Query.Where(c => c.Status == ConflictStatus.Open && c.EscalatedAt == null && c.SlaDueAt < now).OrderBy(c => c.SlaDueAt).Take(batch);
}

public sealed class ConflictsOpenedSpec : Specification<ChannelConflict>
{
    public ConflictsOpenedSpec(DateTimeOffset from, DateTimeOffset to) => Query.Where(c => c.OpenedAt >= from && c.OpenedAt < to);
}

public sealed class ConflictsDecidedSpec : Specification<ChannelConflict, ConflictTimes>
{
    public ConflictsDecidedSpec(DateTimeOffset from, DateTimeOffset to) =>
        Query.Where(c => c.DecidedAt >= from && c.DecidedAt < to).AsNoTracking().Select(c => new ConflictTimes(c.OpenedAt, c.DecidedAt, c.SlaDueAt));
}

public sealed class OpenConflictsSpec : Specification<ChannelConflict>
{
    public OpenConflictsSpec() => Query.Where(c => c.Status == ConflictStatus.Open);
}

public sealed record ConflictTimes(DateTimeOffset OpenedAt, DateTimeOffset? DecidedAt, DateTimeOffset SlaDueAt);

/// <summary>Finds the open case binding a claim by the claim's own index, not by walking the open cases.</summary>
public interface IOpenConflictFinder
{
    Task<Guid?> FindBindingAsync(IReadOnlyCollection<Guid> claimIds, CancellationToken cancellationToken);

    /// <summary>Which of the claims an open case binds.</summary>
    Task<IReadOnlySet<Guid>> BoundAmongAsync(IReadOnlyCollection<Guid> claimIds, CancellationToken cancellationToken);

    /// <summary>Every case, open or decided, that binds the claim.</summary>
    Task<IReadOnlyList<Guid>> FindAllBindingAsync(Guid claimId, CancellationToken cancellationToken);
}
