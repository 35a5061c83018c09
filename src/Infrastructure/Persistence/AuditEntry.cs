namespace CoSell.Infrastructure.Persistence;

/// <summary>One row of the append-only audit log: written with the change it records, never updated or deleted.</summary>
public sealed class AuditEntry
{
    public long Id { get; init; }

    public required string AggregateType { get; init; }

    public required Guid AggregateId { get; init; }

    public required string Type { get; init; }

    public required string Actor { get; init; }

    /// <summary>The partner of a partner user who acted; null for the vendor's users and the service itself.</summary>
    public Guid? ActorPartnerId { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public required string Summary { get; init; }

    /// <summary>Who may read the row besides the vendor: null for everyone who sees the aggregate, <c>vendor</c>, or <c>partner:{id}</c>.</summary>
    public string? Audience { get; init; }

    /// <summary>The event itself as JSON.</summary>
    public required string Data { get; init; }
}
