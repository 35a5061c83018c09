using Ardalis.Specification;
using CoSell.Application.Abstractions;
using CoSell.Domain.Conflicts;
using CoSell.Domain.Users;
using MediatR;

namespace CoSell.Application.Conflicts;

public sealed class AdminsSpec : Ardalis.Specification.Specification<User>
{
    public AdminsSpec() => Query.Where(u => u.Role == Roles.Admin && u.IsActive).AsNoTracking();
}

/// <summary>
/// After commit, tells the case's parties and arbiter (and the admins on escalation) that it changed. The arbiter and the
/// admins, who read the whole case, hear what happened; its parties (partners and the reps of its direct claims), who
/// read only their own claims and statements, hear of another party's doing only that the case changed.
/// </summary>
public sealed class PushConflictChanges(IRepository<ChannelConflict> conflicts, IRepository<User> users, IRealtimeNotifier notifier)
    : INotificationHandler<DomainEventNotification<ConflictEvent>>
{
    public async Task Handle(DomainEventNotification<ConflictEvent> notification, CancellationToken cancellationToken)
    {
        var e = notification.Event;
        var conflict = await conflicts.GetByIdAsync(e.ConflictId, cancellationToken);
        if (conflict is null)
        {
            return;
        }

        List<string> overseers = [];
        if (conflict.ArbiterId is { } arbiter)
        {
            overseers.Add(arbiter.ToString());
        }

        // The arbiter a case was taken from hears of it too, so its own queue no longer shows the case as its.
        if (e.FormerArbiterId is { } former)
        {
            overseers.Add(former.ToString());
        }

        if (e.Type == "conflict.escalated")
        {
            overseers.AddRange((await users.ListAsync(new AdminsSpec(), cancellationToken)).Select(u => u.Id.ToString()));
        }

        var reps = conflict.Claims.Where(c => c.OwnerUserId is not null && c.PartnerId is null).Select(c => c.OwnerUserId!).Except(overseers).Distinct().ToList();
        var partners = conflict.Claims.Where(c => c.PartnerId is not null).Select(c => c.PartnerId!.Value).Distinct().ToList();
        var message = new ConflictChangedMessage(conflict.Id, e.Type, conflict.Status, e.OccurredAt);
        if (!PartiesHearAsUpdated.Contains(e.Type))
        {
            await notifier.ConflictChangedAsync(message, new ConflictAudience(partners, [.. overseers.Distinct(), .. reps]), cancellationToken);
            return;
        }

        // A party reads only its own claim and statements: that a rival wrote or joined is not its to learn, nor who
        // the case was given to (the arbiter is not in its view), so it hears only that the case changed, as its next
        // read shows (the version moved on).
        await notifier.ConflictChangedAsync(message, new ConflictAudience([], overseers.Distinct().ToList()), cancellationToken);
        await notifier.ConflictChangedAsync(message with { Change = Updated }, new ConflictAudience(partners, reps), cancellationToken);
    }

    /// <summary>What a party hears of a change that may be a rival's doing.</summary>
    public const string Updated = "conflict.updated";

    private static readonly HashSet<string> PartiesHearAsUpdated = new(StringComparer.Ordinal)
    {
        "conflict.statement_added", "conflict.claim_joined", "conflict.claim_left", "conflict.claim_passed", "conflict.assigned",
    };
}
