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

/// <summary>A case's status as stored now, whatever a command read of it before.</summary>
public sealed class ConflictStatusSpec : Specification<ChannelConflict, ConflictStatus>
{
    public ConflictStatusSpec(Guid id) =>
        Query.Where(c => c.Id == id).AsNoTracking().Select(c => c.Status);
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

/// <summary>
/// The cases that opened, were reopened or were decided from <paramref name="since"/> until <paramref name="to"/>, as
/// their log says, which no reopening rewrites; with what a case never reopened says of its one round.
/// </summary>
public sealed class ConflictsWithRoundsInSpec : Specification<ChannelConflict, ConflictRoundsHead>
{
    public ConflictsWithRoundsInSpec(DateTimeOffset since, DateTimeOffset to) =>
        // Such a case is open now or was last decided since (its last decision is its latest mark): the conflicts' own
        // indexes narrow the cases to those before their log is looked at.
        Query.Where(c => c.Status == ConflictStatus.Open || c.DecidedAt >= since)
            .Where(c => c.Log.Any(l => (l.Kind == ConflictLogKind.Opened || l.Kind == ConflictLogKind.Reopened || l.Kind == ConflictLogKind.Decided) && l.At >= since && l.At < to))
            .AsNoTracking()
            .Select(c => new ConflictRoundsHead(c.Id, c.RulesVersion, c.OpenedAt, c.SlaDueAt, c.DecidedAt, c.Log.Any(l => l.Kind == ConflictLogKind.Reopened)));
}

/// <summary>A case as its columns hold it: for one never reopened, its only round from its opening to its decision.</summary>
public sealed record ConflictRoundsHead(Guid Id, int RulesVersion, DateTimeOffset OpenedAt, DateTimeOffset SlaDueAt, DateTimeOffset? DecidedAt, bool Reopened)
{
    public ConflictRounds OnlyRound() => new(RulesVersion, SlaDueAt,
        DecidedAt is { } decided
            ? [new(ConflictLogKind.Opened, OpenedAt, Guid.Empty), new(ConflictLogKind.Decided, decided, Guid.Empty)]
            : [new(ConflictLogKind.Opened, OpenedAt, Guid.Empty)]);
}

/// <summary>The openings, reopenings and decisions of the given cases (those reopened), from their log.</summary>
public sealed class ConflictRoundsSpec : Specification<ChannelConflict, ConflictRounds>
{
    public ConflictRoundsSpec(IReadOnlyCollection<Guid> ids) =>
        Query.Where(c => ids.Contains(c.Id))
            .AsNoTracking()
            .Select(c => new ConflictRounds(c.RulesVersion, c.SlaDueAt,
                c.Log.Where(l => l.Kind == ConflictLogKind.Opened || l.Kind == ConflictLogKind.Reopened || l.Kind == ConflictLogKind.Decided)
                    .Select(l => new ConflictRoundMark(l.Kind, l.At, l.Id)).ToList()));
}

/// <summary>An opening, reopening or decision of a case.</summary>
public sealed record ConflictRoundMark(ConflictLogKind Kind, DateTimeOffset At, Guid Id);

/// <summary>A case's openings, reopenings and decisions, and when its current round falls due.</summary>
public sealed record ConflictRounds(int RulesVersion, DateTimeOffset SlaDueAt, List<ConflictRoundMark> Marks)
{
    /// <summary>
    /// Each round from its opening or reopening to its decision, if it has one, with the time it fell due: the current
    /// round's as the case holds it, an earlier one's from the SLA of the case's rules version.
    /// </summary>
    public IReadOnlyList<(DateTimeOffset Start, DateTimeOffset Due, DateTimeOffset? Decided)> Each(TimeSpan sla)
    {
        var rounds = new List<(DateTimeOffset Start, DateTimeOffset Due, DateTimeOffset? Decided)>();
        foreach (var mark in Marks.OrderBy(m => m.At).ThenBy(m => m.Id))
        {
            if (mark.Kind != ConflictLogKind.Decided)
            {
                rounds.Add((mark.At, mark.At + sla, null));
            }
            else if (rounds.Count > 0 && rounds[^1].Decided is null)
            {
                rounds[^1] = rounds[^1] with { Decided = mark.At };
            }
        }

        if (rounds.Count > 0)
        {
            rounds[^1] = rounds[^1] with { Due = SlaDueAt };
        }

        return rounds;
    }
}

public sealed class OpenConflictsSpec : Specification<ChannelConflict>
{
    public OpenConflictsSpec() => Query.Where(c => c.Status == ConflictStatus.Open);
}


/// <summary>Finds the open case binding a claim by the claim's own index, not by walking the open cases.</summary>
public interface IOpenConflictFinder
{
    Task<Guid?> FindBindingAsync(IReadOnlyCollection<Guid> claimIds, CancellationToken cancellationToken);

    /// <summary>Which of the claims an open case binds.</summary>
    Task<IReadOnlySet<Guid>> BoundAmongAsync(IReadOnlyCollection<Guid> claimIds, CancellationToken cancellationToken);

    /// <summary>Every case, open or decided, that binds the claim.</summary>
    Task<IReadOnlyList<Guid>> FindAllBindingAsync(Guid claimId, CancellationToken cancellationToken);
}

/// <summary>A case's statements, stored beside it (<see cref="ConflictStatement"/>).</summary>
public interface IConflictStatements
{
    /// <summary>Stores a statement the case just took, with the unit of work's commit.</summary>
    void Add(ConflictStatement statement);

    /// <summary>
    /// The statements of the case as read (up to its <see cref="ChannelConflict.LastStatementId"/>, so none a later
    /// version added), in the order they were made, those this unit of work adds among them: all of them, or those made
    /// for the claims named.
    /// </summary>
    Task<IReadOnlyList<ConflictStatement>> ListAsync(ChannelConflict conflict, IReadOnlySet<Guid>? forClaims, CancellationToken cancellationToken);
}
