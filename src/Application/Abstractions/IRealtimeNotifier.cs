namespace CoSell.Application.Abstractions;

/// <summary>Pushes committed changes to the people allowed to see them.</summary>
public interface IRealtimeNotifier
{
    Task RegistrationStatusChangedAsync(RegistrationStatusMessage message, CancellationToken cancellationToken);
}

/// <summary>What a registering partner's users (and the reviewer) learn when a registration moves.</summary>
public sealed record RegistrationStatusMessage(Guid RegistrationId, Guid PartnerId, string From, string To, DateTimeOffset At);
