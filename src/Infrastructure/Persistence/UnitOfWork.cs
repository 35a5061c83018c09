using System.Text.Json;
using CoSell.Application.Abstractions;
using CoSell.Domain.AccountMapping;
using CoSell.Domain.Conflicts;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Partners;
using CoSell.Domain.Referrals;
using CoSell.Domain.Registrations;
using CoSell.Domain.SeedWork;
using CoSell.Domain.Users;
using CoSell.Infrastructure.Events;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using RulesOfEngagement = CoSell.Domain.Rules.RulesOfEngagement;

namespace CoSell.Infrastructure.Persistence;

/// <summary>
/// Commits one command: its changes and their audit rows together, through the single writer (which may
/// commit them in one transaction with other commands' units); only after the commit succeeded are the events published.
/// </summary>
public sealed class UnitOfWork(CoSellDbContext db, SqliteWriter writer, IDomainEventPublisher publisher, InTransactionWork inTransaction, ICurrentUser user, ILogger<UnitOfWork> logger) : IUnitOfWork
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private const int UniqueConstraintFailed = 2067; // SQLITE_CONSTRAINT_UNIQUE

    private const int PrimaryKeyFailed = 1555; // SQLITE_CONSTRAINT_PRIMARYKEY: an id given by the caller (a user's) added twice at once

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        // Changes are detected once, here, on the request's thread: reading the entries and saving them need not detect them again.
        db.ChangeTracker.DetectChanges();
        using var detected = db.ChangeTracker.Pause();
        await SaveAndPublishAsync(cancellationToken);
    }

    /// <summary>The first aggregate this command changes whose stored version is no longer the one it read, with that version.</summary>
    private async Task<(Guid Id, long Current)?> MovedOnAsync(CancellationToken cancellationToken)
    {
        foreach (var entry in db.ChangeTracker.Entries<AggregateRoot>().Where(e => e.State == EntityState.Modified).ToList())
        {
            var read = entry.OriginalValues.GetValue<long>(nameof(AggregateRoot.Version));
            var stored = (await entry.GetDatabaseValuesAsync(cancellationToken))?.GetValue<long>(nameof(AggregateRoot.Version));
            if (stored is { } current && current != read)
            {
                return (entry.Entity.Id, current);
            }
        }

        return null;
    }

    public void Discard()
    {
        db.ChangeTracker.Clear();
        inTransaction.Clear();
    }

    private async Task SaveAndPublishAsync(CancellationToken cancellationToken)
    {
        var aggregates = db.ChangeTracker.Entries<AggregateRoot>()
            .Where(e => e.Entity.DomainEvents.Count > 0)
            .Select(e => e.Entity)
            .ToList();
        var events = aggregates.SelectMany(a => a.DomainEvents.Select(e => (Aggregate: a, Event: e))).ToList();
        foreach (var (aggregate, domainEvent) in events)
        {
            db.AuditEntries.Add(new AuditEntry
            {
                AggregateType = AggregateType(aggregate),
                AggregateId = aggregate.Id,
                Type = domainEvent.Type,
                Actor = domainEvent.Actor,
                ActorPartnerId = AuditTrail.PartnerOf(user, domainEvent.Actor),
                OccurredAt = domainEvent.OccurredAt,
                Summary = domainEvent.Summary,
                Audience = domainEvent.Audience.Tag,
                Data = JsonSerializer.Serialize(domainEvent, domainEvent.GetType(), JsonOptions),
            });
        }

        try
        {
            await (inTransaction.IsEmpty ? writer.SaveChangesAsync(db, cancellationToken) : writer.WriteAsync(db, SaveWithWorkInTransactionAsync, cancellationToken));
        }
        catch (DbUpdateConcurrencyException e) when (e.Entries is [{ Entity: AggregateRoot read }, ..] && !aggregates.Contains(read))
        {
            // Not a change of this command but one it rests on (IRepository.RequireUnchanged): judged on what is no longer so.
            var kind = AggregateType(read);
            throw new ConcurrentChangeException($"{kind}.changed", $"The {kind} this rests on changed while the request was being decided; read it again and retry.");
        }
        catch (DbUpdateConcurrencyException e)
        {
            var entry = e.Entries.FirstOrDefault(x => x.Entity is AggregateRoot);
            var current = entry is null ? 0 : (await entry.GetDatabaseValuesAsync(cancellationToken))?.GetValue<long>(nameof(AggregateRoot.Version)) ?? 0;
            throw new PreconditionFailedException(current, aggregateId: (entry?.Entity as AggregateRoot)?.Id);
        }
        catch (DbUpdateException e) when (e.InnerException is SqliteException { SqliteExtendedErrorCode: UniqueConstraintFailed or PrimaryKeyFailed })
        {
            // A check the handler made before the commit (no opportunity for this registration yet) was overtaken by a
            // concurrent request that committed first: the rule holds, so the request is refused like the check would have.
            // Where an aggregate this command changes had moved on too (the registration the winner made its opportunity
            // of), the insert failed first only by the order of the statements: the command lost on that aggregate, as a
            // caller's If-Match on it says (412), whichever statement the store ran first.
            if (await MovedOnAsync(cancellationToken) is { } moved)
            {
                throw new PreconditionFailedException(moved.Current, aggregateId: moved.Id);
            }

            throw new DomainException("conflict.already_exists", "A concurrent request made the same thing a moment ago; read it again.");
        }
        finally
        {
            inTransaction.Clear();
        }

        foreach (var aggregate in aggregates)
        {
            aggregate.ClearDomainEvents();
        }

        foreach (var (_, domainEvent) in events)
        {
            try
            {
                await publisher.PublishAsync(domainEvent, CancellationToken.None);
            }
            catch (Exception ex)
            {
                // The change is committed and audited; a failed notification must not turn it into an error.
                logger.LogError(ex, "Publishing {EventType} failed after commit", domainEvent.Type);
            }
        }
    }

    /// <summary>Work staged in the transaction (an account list's rows, a check the commit rests on) shares the writer's transaction with the aggregates and audit rows: all or nothing.</summary>
    private async Task<int> SaveWithWorkInTransactionAsync(CancellationToken cancellationToken)
    {
        await inTransaction.RunAsync(db, db.Database.CurrentTransaction!, cancellationToken);
        return await db.SaveChangesAsync(acceptAllChangesOnSuccess: false, cancellationToken);
    }

    internal static string AggregateType(AggregateRoot aggregate) => aggregate switch
    {
        DealRegistration => AuditAggregates.Registration,
        Partner => AuditAggregates.Partner,
        RulesOfEngagement => AuditAggregates.Rules,
        User => AuditAggregates.User,
        ChannelConflict => AuditAggregates.Conflict,
        Opportunity => AuditAggregates.Opportunity,
        Referral => AuditAggregates.Referral,
        Partnership => AuditAggregates.Partnership,
        AccountList => AuditAggregates.AccountList,
        _ => aggregate.GetType().Name.ToLowerInvariant(),
    };
}
