using CoSell.Application.Abstractions;
using CoSell.Domain.SeedWork;
using CoSell.Infrastructure.AccountMapping;
using CoSell.Infrastructure.Identity;
using CoSell.Infrastructure.Persistence;
using Mapster;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using RulesOfEngagement = CoSell.Domain.Rules.RulesOfEngagement;

namespace CoSell.Infrastructure.Seeding;

/// <summary>
/// Brings the database to the current schema at start-up, re-keys account tokens when the secret changed,
/// makes sure a rules version is active, and loads the claims index. The DTO mappings compile on another core
/// meanwhile.
/// </summary>
public sealed class DatabaseInitialiser(CoSellDbContext db, IUnitOfWork unitOfWork, TimeProvider time, DemoProgramme demo, AccountTokenRekeyer rekeyer, ClaimsIndexStartup claims, TypeAdapterConfig mappings, ILogger<DatabaseInitialiser> logger)
{
    /// <summary>Everything, the claims index included.</summary>
    public async Task InitialiseAsync(bool seedDemo, CancellationToken cancellationToken) =>
        await await StartAsync(seedDemo, cancellationToken);

    /// <summary>Everything but the claims index, whose load this starts and returns: it holds the index from now until it is filled.</summary>
    public async Task<Task<int>> StartAsync(bool seedDemo, CancellationToken cancellationToken)
    {
        var compiled = Task.Run(() => mappings.Compile(), cancellationToken);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            // WAL is a property of the file: set once, it stays.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        await db.Database.MigrateAsync(cancellationToken);

        if (!await db.Rules.AnyAsync(cancellationToken))
        {
            var rules = RulesOfEngagement.Defaults(Actors.System, time.GetUtcNow());
            rules.Activate(Actors.System, time.GetUtcNow());
            db.Rules.Add(rules);
            await unitOfWork.CommitAsync(cancellationToken);
            logger.LogInformation("Published the default rules of engagement as version 1");
        }

        if (seedDemo && !await db.Users.AnyAsync(cancellationToken))
        {
            await demo.SeedAsync(cancellationToken);
            logger.LogInformation("Seeded the demo programme");
        }

        // Every claim is in the database now: the index loads on its own thread while the rest goes on.
        var loaded = claims.Start();
        await rekeyer.RekeyIfNeededAsync(cancellationToken);
        await compiled;
        return loaded;
    }
}
