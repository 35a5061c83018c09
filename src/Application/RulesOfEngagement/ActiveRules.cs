using CoSell.Application.Abstractions;
using CoSell.Domain.Rules;
using MediatR;

namespace CoSell.Application.RulesOfEngagement;

/// <summary>
/// The active rules version, read once and kept until a rules change commits. Every submission, duplicate
/// check and conflict reads it; it changes a few times a year. The instance is a read-only snapshot.
/// </summary>
public interface IActiveRules
{
    Task<Domain.Rules.RulesOfEngagement> GetAsync(CancellationToken cancellationToken);

    void Invalidate();
}

/// <summary>Forgets the cached rules once a new version is committed.</summary>
public sealed class ForgetActiveRules(IActiveRules rules) : INotificationHandler<DomainEventNotification<RulesChanged>>
{
    public Task Handle(DomainEventNotification<RulesChanged> notification, CancellationToken cancellationToken)
    {
        rules.Invalidate();
        return Task.CompletedTask;
    }
}
