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

/// <summary>After commit, tells the case's parties and arbiter (and the admins on escalation) that it changed.</summary>
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

        var userIds = conflict.Claims.Where(c => c.OwnerUserId is not null && c.PartnerId is null).Select(c => c.OwnerUserId!).ToList();
        if (conflict.ArbiterId is { } arbiter)
        {
            userIds.Add(arbiter.ToString());
        }

        if (e.Type == "conflict.escalated")
        {
            userIds.AddRange((await users.ListAsync(new AdminsSpec(), cancellationToken)).Select(u => u.Id.ToString()));
        }

        var partners = conflict.Claims.Where(c => c.PartnerId is not null).Select(c => c.PartnerId!.Value).Distinct().ToList();
        var message = new ConflictChangedMessage(conflict.Id, e.Type, conflict.Status.ToString(), e.OccurredAt);
        if (!RivalsDoings.Contains(e.Type))
        {
            await notifier.ConflictChangedAsync(message, new ConflictAudience(partners, userIds.Distinct().ToList()), cancellationToken);
            return;
        }

        // A partner reads only its own claim and statements: that a rival wrote or joined is not its to learn, so it hears
        // only that the case changed, as its next read shows (the version moved on).
        await notifier.ConflictChangedAsync(message, new ConflictAudience([], userIds.Distinct().ToList()), cancellationToken);
        await notifier.ConflictChangedAsync(message with { Change = Updated }, new ConflictAudience(partners, []), cancellationToken);
    }

    /// <summary>What a partner party hears of a change that may be a rival's doing.</summary>
    public const string Updated = "conflict.updated";

    private static readonly HashSet<string> RivalsDoings = new(StringComparer.Ordinal) { "conflict.statement_added", "conflict.claim_joined", "conflict.claim_left", "conflict.claim_passed" };
}
