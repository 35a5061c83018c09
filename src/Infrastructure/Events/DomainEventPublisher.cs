using System.Collections.Concurrent;
using CoSell.Application.Abstractions;
using CoSell.Domain.SeedWork;
using MediatR;

namespace CoSell.Infrastructure.Events;

/// <summary>Publishes committed domain events to MediatR notification handlers.</summary>
public interface IDomainEventPublisher
{
    Task PublishAsync(IDomainEvent domainEvent, CancellationToken cancellationToken);
}

public sealed class MediatorDomainEventPublisher(IMediator mediator) : IDomainEventPublisher
{
    private static readonly ConcurrentDictionary<Type, Func<IMediator, IDomainEvent, CancellationToken, Task>> Publishers = new();

    public Task PublishAsync(IDomainEvent domainEvent, CancellationToken cancellationToken) =>
        Publishers.GetOrAdd(domainEvent.GetType(), Create)(mediator, domainEvent, cancellationToken);

    private static Func<IMediator, IDomainEvent, CancellationToken, Task> Create(Type eventType)
    {
        var method = typeof(MediatorDomainEventPublisher).GetMethod(nameof(Publish), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(eventType);
        return (Func<IMediator, IDomainEvent, CancellationToken, Task>)Delegate.CreateDelegate(typeof(Func<IMediator, IDomainEvent, CancellationToken, Task>), method);
    }

    private static Task Publish<TEvent>(IMediator mediator, IDomainEvent domainEvent, CancellationToken cancellationToken)
        where TEvent : IDomainEvent =>
        mediator.Publish(new DomainEventNotification<TEvent>((TEvent)domainEvent), cancellationToken);
}
