namespace CoSell.Infrastructure.AccountMapping;

/// <summary>One stored row of an account list; written and read in bulk by <see cref="SqliteAccountRowStore"/>.</summary>
public sealed class AccountRowRecord
{
    public long Id { get; set; }

    public Guid ListId { get; set; }

    public int Line { get; set; }

    public required string Name { get; set; }

    public string? Domain { get; set; }

    public required string Country { get; set; }

    public string? Duns { get; set; }

    public bool Private { get; set; }

    public byte[]? DomainToken { get; set; }

    public byte[]? DunsToken { get; set; }

    public byte[]? NameToken { get; set; }
}

/// <summary>Which key the stored tokens were made under, so a rotated secret is noticed at start-up.</summary>
public sealed class AccountMappingState
{
    public const int SingletonId = 1;

    public int Id { get; set; } = SingletonId;

    public required string KeyFingerprint { get; set; }

    public DateTimeOffset KeyedAt { get; set; }
}
