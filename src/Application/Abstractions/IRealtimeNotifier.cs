namespace CoSell.Application.Abstractions;

/// <summary>Pushes committed changes to the people allowed to see them.</summary>
public interface IRealtimeNotifier
{
    Task RegistrationStatusChangedAsync(RegistrationStatusMessage message, CancellationToken cancellationToken);

    /// <summary>Tells a case's parties, its arbiter (and, when escalated, the admins) that the case changed; they re-read it through the API.</summary>
    Task ConflictChangedAsync(ConflictChangedMessage message, ConflictAudience audience, CancellationToken cancellationToken);
}

/// <summary>What every recipient learns: which case changed and how; the details come from the API with the reader's redaction.</summary>
public sealed record ConflictChangedMessage(Guid ConflictId, string Change, string Status, DateTimeOffset At);

/// <summary>Who receives a conflict change.</summary>
public sealed record ConflictAudience(IReadOnlyList<Guid> PartnerIds, IReadOnlyList<string> UserIds);

/// <summary>What a registering partner's users (and the reviewer) learn when a registration moves.</summary>
public sealed record RegistrationStatusMessage(Guid RegistrationId, Guid PartnerId, string From, string To, DateTimeOffset At);
