using CoSell.Domain.AccountMapping;
using CoSell.Domain.Conflicts;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Partners;
using CoSell.Domain.Referrals;
using CoSell.Domain.Registrations;
using CoSell.Domain.SeedWork;
using CoSell.Domain.Users;
using CoSell.Infrastructure.Idempotency;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using RulesOfEngagement = CoSell.Domain.Rules.RulesOfEngagement;

namespace CoSell.Infrastructure.Persistence;

public sealed class CoSellDbContext(DbContextOptions<CoSellDbContext> options) : DbContext(options)
{
    public DbSet<Partner> Partners => Set<Partner>();

    public DbSet<User> Users => Set<User>();

    public DbSet<RulesOfEngagement> Rules => Set<RulesOfEngagement>();

    public DbSet<DealRegistration> Registrations => Set<DealRegistration>();

    public DbSet<ChannelConflict> Conflicts => Set<ChannelConflict>();
    public DbSet<Opportunity> Opportunities => Set<Opportunity>();

    public DbSet<Referral> Referrals => Set<Referral>();

    public DbSet<Partnership> Partnerships => Set<Partnership>();

    public DbSet<AccountList> AccountLists => Set<AccountList>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(CoSellDbContext).Assembly);
        foreach (var entity in modelBuilder.Model.GetEntityTypes().Where(e => typeof(AggregateRoot).IsAssignableFrom(e.ClrType)))
        {
            modelBuilder.Entity(entity.ClrType).Property(nameof(AggregateRoot.Version)).IsConcurrencyToken();
            modelBuilder.Entity(entity.ClrType).Ignore(nameof(AggregateRoot.DomainEvents));
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite cannot compare or order DateTimeOffset: instants are stored as UTC ticks (ADR 0003).
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
        configurationBuilder.Properties<Enum>().HaveConversion<string>().HaveMaxLength(40);
    }
}

/// <summary>Stores an instant as its UTC ticks and reads it back with a zero offset.</summary>
public sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.UtcTicks,
    v => new DateTimeOffset(v, TimeSpan.Zero));
