using CoSell.Domain.SeedWork;
using MediatR;

namespace CoSell.Application.Abstractions;

/// <summary>A committed domain event, published to in-process handlers (realtime pushes, indexes).</summary>
public sealed record DomainEventNotification<TEvent>(TEvent Event) : INotification
    where TEvent : IDomainEvent;
