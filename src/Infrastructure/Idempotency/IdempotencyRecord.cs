using CoSell.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CoSell.Infrastructure.Idempotency;

/// <summary>The first response to a create carrying an Idempotency-Key, kept for a day.</summary>
public sealed class IdempotencyRecord
{
    /// <summary>A hash of the caller (its user id, role and partner) and the key, so two callers never share a key.</summary>
    public required string Key { get; init; }

    /// <summary>SHA-256 of the method, path and body of the first request.</summary>
    public required string RequestHash { get; init; }

    public required int StatusCode { get; init; }

    public required string ResponseBody { get; init; }

    public string? Location { get; init; }

    /// <summary>The first response's ETag, so that a replay carries it as the first did.</summary>
    public string? ETag { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("idempotency_keys");
        builder.HasKey(r => r.Key);
        builder.Property(r => r.Key).HasMaxLength(400);
        builder.Property(r => r.RequestHash).HasMaxLength(64);
        builder.Property(r => r.ETag).HasMaxLength(40);
        builder.HasIndex(r => r.CreatedAt);
    }
}

/// <summary>Stores and finds idempotent responses.</summary>
public sealed class IdempotencyStore(CoSellDbContext db, SqliteWriter writer, TimeProvider time)
{
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>The record kept under the key, if any: within its retention, or older and not yet purged.</summary>
    public Task<IdempotencyRecord?> FindAsync(string key, CancellationToken cancellationToken) =>
        db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.Key == key, cancellationToken);

    public bool IsKept(IdempotencyRecord record) => record.CreatedAt > time.GetUtcNow() - Retention;

    /// <summary>Adds the record to the unit of work in progress: it is stored with the command's own commit, or not at all.</summary>
    public void Stage(IdempotencyRecord record) => db.IdempotencyRecords.Add(record);

    /// <summary>Lets a record past its retention go before its key is used again.</summary>
    public Task<int> RemoveAsync(string key, CancellationToken cancellationToken) =>
        writer.WriteAsync(db, ct => db.IdempotencyRecords.Where(r => r.Key == key).ExecuteDeleteAsync(ct), cancellationToken);

    public Task<int> PurgeAsync(CancellationToken cancellationToken)
    {
        var before = time.GetUtcNow() - Retention;
        return writer.WriteAsync(db, ct => db.IdempotencyRecords.Where(r => r.CreatedAt <= before).ExecuteDeleteAsync(ct), cancellationToken);
    }
}
