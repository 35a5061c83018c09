using Ardalis.Specification;
using CoSell.Application.Abstractions;
using CoSell.Application.RulesOfEngagement;
using CoSell.Domain.Conflicts;
using CoSell.Domain.Users;
using FluentValidation;
using MediatR;

namespace CoSell.Application.Conflicts;

[Authorize(Roles.Partner, Roles.Rep, Roles.ChannelManager, Roles.Arbiter, Roles.Admin)]
public sealed record GetConflict(Guid ConflictId) : IQuery<ConflictDto>, IConflictRequest;

public sealed class GetConflictHandler(IRepository<ChannelConflict> conflicts, ConflictView view) : IRequestHandler<GetConflict, ConflictDto>
{
    public async Task<ConflictDto> Handle(GetConflict request, CancellationToken cancellationToken) =>
        await view.ForAsync(await conflicts.GetByIdAsync(request.ConflictId, cancellationToken) ?? throw new NotFoundException("conflict", request.ConflictId), cancellationToken);
}

/// <summary>
/// Lists cases, soonest SLA first: an arbiter sees its own queue (or every case with <c>all=true</c>),
/// admins and channel managers every case, a party only the cases it is in.
/// </summary>
[Authorize(Roles.Partner, Roles.Rep, Roles.ChannelManager, Roles.Arbiter, Roles.Admin)]
/// <param name="After">The last page\'s <c>next</c> cursor, or the id of the last case read: the list reads on from there (<see cref="ListPlace"/>), so cases decided meanwhile make it skip nothing.</param>
public sealed record ListConflicts(ConflictStatus? Status, bool? Overdue, bool? All, int? Page, int? PageSize, string? After = null) : IQuery<Paged<ConflictDto>>;

public sealed class ListConflictsValidator : AbstractValidator<ListConflicts>
{
    public ListConflictsValidator() => RuleFor(l => l.Status).IsInEnum();
}

public sealed class ListConflictsHandler(IRepository<ChannelConflict> conflicts, ICurrentUser user, ConflictView view, TimeProvider time)
    : IRequestHandler<ListConflicts, Paged<ConflictDto>>
{
    public async Task<Paged<ConflictDto>> Handle(ListConflicts request, CancellationToken cancellationToken)
    {
        var filter = new ConflictFilter(
            request.Status,
            request.Overdue,
            // An arbiter whose id is no GUID is assigned no case: its own queue is empty, not every arbiter's.
            user.Role == Roles.Arbiter && request.All != true ? user.UserGuid() ?? Guid.Empty : (Guid?)null,
            user.IsPartner() ? user.PartnerId : null,
            user.Role == Roles.Rep ? user.UserId : null,
            time.GetUtcNow());
        // Any case the caller may read marks the place, in whatever state, and whichever arbiter it is assigned to now.
        var readable = filter with { Status = null, Overdue = null, ArbiterId = null };
        var after = await conflicts.PlaceOfAsync(request.After, ReadingList.Conflicts, id => new ConflictsSpec(readable, null, only: id), c => c.SlaDueAt, "case", cancellationToken);

        var page = ListPlace.PageFrom(request.Page, request.PageSize, after);
        var items = await conflicts.ListAsync(new ConflictsSpec(filter, page, after), cancellationToken);
        var total = await conflicts.CountAsync(new ConflictsSpec(filter, null), cancellationToken);
        return new Paged<ConflictDto>(items.Select(view.Listed).ToList(), page.Page, page.PageSize, total, ListPlace.NextOf(ReadingList.Conflicts, items, c => c.SlaDueAt, x => x.Id));
    }
}

/// <summary>Open cases now, and for a period: cases opened and decided, median time to decision, SLA breaches.</summary>
[Authorize(Roles.ChannelManager, Roles.Arbiter, Roles.Admin)]
public sealed record GetConflictMeasures(DateTimeOffset? From, DateTimeOffset? To) : IQuery<ConflictMeasuresDto>;

public sealed class GetConflictMeasuresValidator : AbstractValidator<GetConflictMeasures>
{
    /// <summary>No case is older than this; it also keeps "30 days before 'to'" a date.</summary>
    private static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public GetConflictMeasuresValidator(TimeProvider time)
    {
        RuleFor(m => m.From).GreaterThanOrEqualTo(Earliest).WithMessage("'from' must be 2000-01-01 or later.");
        RuleFor(m => m.To).GreaterThanOrEqualTo(Earliest).WithMessage("'to' must be 2000-01-01 or later.");
        // Without 'to' the period ends now, so a 'from' in the future is as wrong as one after a given 'to'.
        RuleFor(m => m.From).LessThan(m => m.To ?? time.GetUtcNow()).When(m => m.From >= Earliest).WithMessage("'from' must be before 'to' (now when 'to' is not given).");
    }
}

/// <summary>
/// Measures each round of a case, from its opening or a reopening to its decision, as its log records it: a reopening
/// starts a round of its own and takes nothing back, so a decision made or an SLA broken in a period stays counted there.
/// </summary>
public sealed class GetConflictMeasuresHandler(IRepository<ChannelConflict> conflicts, IRepository<Domain.Rules.RulesOfEngagement> rules, TimeProvider time)
    : IRequestHandler<GetConflictMeasures, ConflictMeasuresDto>
{
    /// <summary>The longest SLA a rules version may set: a round falling due in the period started at most this long before it.</summary>
    private static readonly TimeSpan LongestSla = TimeSpan.FromHours(Domain.Rules.RulesOfEngagement.MaximumSlaHours);

    public async Task<ConflictMeasuresDto> Handle(GetConflictMeasures request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var to = request.To ?? now;
        var from = request.From ?? to.AddDays(-30);
        var openNow = await conflicts.CountAsync(new OpenConflictsSpec(), cancellationToken);
        // Most cases have one round, which their columns hold; only a reopened case's rounds are read from its log.
        var heads = await conflicts.ListAsync(new ConflictsWithRoundsInSpec(from - LongestSla, to), cancellationToken);
        var reopened = heads.Where(h => h.Reopened).Select(h => h.Id).ToList();
        List<ConflictRounds> cases = [.. heads.Where(h => !h.Reopened).Select(h => h.OnlyRound())];
        if (reopened.Count > 0)
        {
            cases.AddRange(await conflicts.ListAsync(new ConflictRoundsSpec(reopened), cancellationToken));
        }

        var slas = new Dictionary<int, TimeSpan>();
        foreach (var version in cases.Select(c => c.RulesVersion).Distinct())
        {
            slas[version] = TimeSpan.FromHours(await rules.ConflictSlaHoursAsync(version, cancellationToken));
        }

        var rounds = cases.SelectMany(c => c.Each(slas[c.RulesVersion])).ToList();
        // Opened counts rounds as decided does: a reopening in the period opens one, so opened less decided is what the
        // period added to the queue.
        var opened = rounds.Count(r => r.Start >= from && r.Start < to);
        var hours = rounds.Where(r => r.Decided >= from && r.Decided < to).Select(r => (r.Decided!.Value - r.Start).TotalHours).Order().ToList();
        double? median = hours.Count == 0 ? null : hours.Count % 2 == 1 ? hours[hours.Count / 2] : (hours[(hours.Count / 2) - 1] + hours[hours.Count / 2]) / 2;
        var breached = rounds.Count(r => r.Due >= from && r.Due < to && r.Due < now && (r.Decided ?? now) > r.Due);
        return new ConflictMeasuresDto(from, to, openNow, opened, hours.Count, median is null ? null : Math.Round(median.Value, 2), breached);
    }
}
