using CoSell.Application;
using CoSell.Application.AccountMapping;
using CoSell.Application.Abstractions;
using CoSell.Application.Conflicts;
using CoSell.Application.DuplicateChecks;
using CoSell.Application.Opportunities;
using CoSell.Application.Partners;
using CoSell.Application.Referrals;
using CoSell.Application.Registrations;
using CoSell.Domain.AccountMapping;
using CoSell.Domain.Customers.Identity;
using CoSell.Domain.Registrations;
using CoSell.Infrastructure.AccountMapping;
using CoSell.Infrastructure.Conflicts;
using CoSell.Infrastructure.Events;
using CoSell.Infrastructure.Idempotency;
using CoSell.Infrastructure.Identity;
using CoSell.Infrastructure.Opportunities;
using CoSell.Infrastructure.Persistence;
using CoSell.Infrastructure.Persistence.CompiledModel;
using CoSell.Infrastructure.Referrals;
using CoSell.Infrastructure.Registrations;
using CoSell.Infrastructure.Seeding;
using FluentValidation;
using MediatR;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace CoSell.Infrastructure;

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>The SQLite file; relative paths are taken from the working directory.</summary>
    public string Path { get; set; } = "cosell.db";

    /// <summary>SQLite <c>synchronous</c> pragma under WAL: FULL (fsync per commit) or NORMAL (ADR 0005).</summary>
    public string Synchronous { get; set; } = "FULL";

    /// <summary>A full connection string; when set it wins over <see cref="Path"/> (tests use shared in-memory databases).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The connection string every connection of the service uses. A file is opened read-write without being created:
    /// the start makes a new one (<c>DatabaseInitialiser</c>), and a file removed later is an error, not a new database.
    /// </summary>
    public string EffectiveConnectionString => ConnectionString is null
        ? new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadWrite, Pooling = true, DefaultTimeout = 30 }.ToString()
        : WithoutCreating(ConnectionString);

    /// <summary>
    /// The database file as the service names it in its messages: from the root, its <c>..</c> left as the kernel reads
    /// it (on Linux a <c>..</c> after a linked folder is the folder above the link's target).
    /// </summary>
    public string FileName => Persistence.DatabaseFileMoves.Absolute(new SqliteConnectionStringBuilder(EffectiveConnectionString).DataSource);

    private static string WithoutCreating(string connectionString)
    {
        try
        {
            var builder = new SqliteConnectionStringBuilder(connectionString);
            if (builder.Mode == SqliteOpenMode.ReadWriteCreate && builder.DataSource is { Length: > 0 } source && source != ":memory:")
            {
                builder.Mode = SqliteOpenMode.ReadWrite;
            }

            return builder.ToString();
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            // Problem() names it; until then it is left as given.
            return connectionString;
        }
    }

    /// <summary>
    /// What is wrong with the settings, or null. SQLite reads an unknown <c>synchronous</c> value as NORMAL and OFF
    /// gives up durability altogether, so a typo would quietly weaken the promise of ADR 0005: anything but FULL or
    /// NORMAL is refused. An empty file name would have SQLite keep a private temporary database that is gone at the
    /// next start, so it is refused too, as is a folder.
    /// </summary>
    public string? Problem()
    {
        if (Synchronous is null || !(Synchronous.Equals("FULL", StringComparison.OrdinalIgnoreCase) || Synchronous.Equals("NORMAL", StringComparison.OrdinalIgnoreCase)))
        {
            return $"Database:Synchronous is '{Synchronous}': set it to FULL (the default) or NORMAL (ADR 0005).";
        }

        var setting = ConnectionString is null ? "Database:Path" : "Database:ConnectionString";
        SqliteConnectionStringBuilder file;
        try
        {
            file = new SqliteConnectionStringBuilder(EffectiveConnectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            return $"Database:ConnectionString is not a SQLite connection string: {e.Message}";
        }

        // The SQLite this service ships does not encrypt: a password would fail the first connection with a stack trace.
        if (!string.IsNullOrEmpty(file.Password))
        {
            return "Database:ConnectionString sets a Password, but this build's SQLite does not encrypt: remove it, and protect the file by its permissions or the disk's encryption.";
        }

        // The service keeps its data in a file it names by path: the lock, the ready check and the folder it creates read
        // the data source as one. Nothing would keep an in-memory database open from one start-up step to the next.
        if (file.Mode == SqliteOpenMode.Memory || file.DataSource == ":memory:")
        {
            return $"{setting} names an in-memory database: the service keeps its data in a file; name it.";
        }

        if (file.DataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase) || file.DataSource.Contains("|DataDirectory|", StringComparison.OrdinalIgnoreCase))
        {
            return $"{setting} names its file as a URI or through |DataDirectory|: give the file's path.";
        }

        if (string.IsNullOrWhiteSpace(file.DataSource))
        {
            return $"{setting} names no database file: name the SQLite file the service keeps its data in.";
        }

        return Directory.Exists(file.DataSource) || file.DataSource.EndsWith('/') || file.DataSource.EndsWith(System.IO.Path.DirectorySeparatorChar)
            ? $"{setting} names the folder {FileName}: name the SQLite file in it (cosell.db, say)."
            : null;
    }
}

public static class DependencyInjection
{
    public static IServiceCollection AddCoSellApplication(this IServiceCollection services)
    {
        // MediatR 5.1.0 has no DI package: the mediator, its service factory and the handlers are registered here (ADR 0001).
        services.AddScoped<ServiceFactory>(sp => sp.GetService!);
        services.AddScoped<IMediator, Mediator>();
        services.Scan(scan => scan.FromAssemblies(ApplicationParts.Assembly)
            .AddClasses(c => c.AssignableToAny(typeof(IRequestHandler<,>), typeof(INotificationHandler<>)).Where(t => !t.IsAbstract && !t.IsGenericTypeDefinition))
            .AsImplementedInterfaces()
            .WithScopedLifetime());
        foreach (var behaviour in ApplicationParts.PipelineBehaviours)
        {
            services.AddScoped(typeof(IPipelineBehavior<,>), behaviour);
        }

        services.AddScoped(typeof(IResourceAuthorizer<>), typeof(RegistrationAuthorizer<>));
        services.AddScoped(typeof(IResourceAuthorizer<>), typeof(ConflictAuthorizer<>));
        services.AddScoped(typeof(IResourceAuthorizer<>), typeof(PartnershipAuthorizer<>));
        services.AddScoped(typeof(IResourceAuthorizer<>), typeof(AccountListAuthorizer<>));
        services.AddScoped<PartnershipView>();
        services.AddScoped<OverlapCalculator>();
        services.AddScoped<OverlapCellReader>();
        services.AddSingleton<OverlapCache>();
        services.AddScoped<ConflictView>();
        services.AddScoped<ConflictOpener>();
        services.AddScoped<ClaimsLeavingCases>();
        services.AddSingleton<ClaimGate>();
        services.AddScoped<SubmissionJudge>();
        services.AddScoped<CommandCompletion>();
        // The Web host records the first answer to an Idempotency-Key with the command's commit; other hosts nothing.
        services.TryAddScoped<IAnswerRecorder, NoAnswerRecorder>();
        services.AddScoped<IOpenConflictFinder, OpenConflictFinder>();
        services.AddScoped<IConflictStatements, ConflictStatements>();
        services.AddScoped(typeof(IResourceAuthorizer<>), typeof(OpportunityAuthorizer<>));
        services.AddScoped(typeof(IResourceAuthorizer<>), typeof(InvitationAuthorizer<>));
        services.AddScoped(typeof(IResourceAuthorizer<>), typeof(ReferralAuthorizer<>));
        // A validator that needs nothing but the clock is built once: building one compiles its rules, which cost a
        // request more than running them. Those that read the caller or the database are built per request.
        // The service's messages are English on every host: FluentValidation would otherwise translate its own into the
        // host's language.
        ValidatorOptions.Global.LanguageManager.Enabled = false;
        // A message names a field as the request spells it ('message', 'expectedCloseDate'), as the errors' keys do, not
        // as the property is written in C# ('Message', 'Expected Close Date').
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) => member is null ? null : System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(member.Name);
        services.AddValidatorsFromAssembly(ApplicationParts.Assembly, ServiceLifetime.Singleton, NeedsOnlyTheClock, includeInternalTypes: true);
        services.AddValidatorsFromAssembly(ApplicationParts.Assembly, ServiceLifetime.Scoped, v => !NeedsOnlyTheClock(v), includeInternalTypes: true);
        services.AddSingleton(ApplicationParts.ConfigureMappings());
        services.AddScoped<RegistrationView>();
        services.AddScoped<ChannelManagerCheck>();
        services.AddScoped<ReviewQueueReaders>();
        services.AddScoped<OpportunityView>();
        services.AddScoped<ReferralView>();
        services.AddScoped<RepCheck>();
        services.AddScoped<RegistrationDeals>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }

    private static bool NeedsOnlyTheClock(AssemblyScanner.AssemblyScanResult validator) =>
        validator.ValidatorType.GetConstructors().All(c => c.GetParameters().All(p => p.ParameterType == typeof(TimeProvider)));

    /// <param name="database">The database settings when the caller has bound them already; otherwise bound here.</param>
    public static IServiceCollection AddCoSellInfrastructure(this IServiceCollection services, IConfiguration configuration, DatabaseOptions? database = null)
    {
        var options = database ?? configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        services.AddSingleton(options);
        services.AddSingleton(new SqlitePragmas(options.Synchronous));
        services.AddSingleton<SqliteWriter>();
        services.AddSingleton<StorageDamage>();
        // Pooled: a request leases a context instead of building one (and its options and internal services) from scratch.
        services.AddDbContextPool<CoSellDbContext>((sp, db) => db
            // Said outright (it is EF Core's default), so that queries loading two collections log no warning; the one aggregate
            // owning several collections, a conflict case, is read a statement per collection (EfRepository).
            .UseSqlite(options.EffectiveConnectionString, sqlite => sqlite.UseQuerySplittingBehavior(QuerySplittingBehavior.SingleQuery))
            .AddInterceptors(sp.GetRequiredService<SqlitePragmas>())
            // The model generated ahead of time (ADR 0015): no start builds it from the mapping; a test keeps it current.
            .UseModel(CoSellDbContextModel.Instance)
            // Comparing the model with the migrations costs every start a model diff; a test guards it instead.
            .ConfigureWarnings(w => w
                .Ignore(RelationalEventId.PendingModelChangesWarning)
                // A failed command, save or query is not the service's error by itself: a unique index refusing the loser of a race
                // is answered 409 and a stale version 412 (UnitOfWork), and anything else reaches the exception handler,
                // which logs it with the request.
                .Log((RelationalEventId.CommandError, LogLevel.Debug), (CoreEventId.SaveChangesFailed, LogLevel.Debug), (CoreEventId.QueryIterationFailed, LogLevel.Debug))
                // Nor is a connection that fails to open: a start refuses it in one line naming the setting, and a request
                // answers it (503 when the storage is unavailable) and logs it with the request.
                .Log((RelationalEventId.ConnectionError, LogLevel.Debug))));
        services.AddScoped(typeof(IRepository<>), typeof(EfRepository<>));
        services.AddScoped<IUnitOfWork, UnitOfWork>();
        services.AddSingleton<CachedActiveRules>();
        services.AddScoped<CoSell.Application.RulesOfEngagement.IActiveRules, RequestRules>();
        services.AddScoped<IAuditTrail, AuditTrail>();
        services.AddScoped<IReadSnapshot, SqliteReadSnapshot>();
        services.AddScoped<IDomainEventPublisher, MediatorDomainEventPublisher>();
        services.AddCustomerIdentity();
        services.AddScoped<IClaimCollisionDetector, IndexedCollisionDetector>();
        services.AddScoped<ClaimsIndexLoader>();
        services.AddSingleton<ClaimsIndexStartup>();
        services.AddScoped<IdempotencyStore>();
        AddAccountMapping(services, configuration);
        services.AddScoped<DatabaseInitialiser>();
        services.AddScoped<DemoProgramme>();
        services.Configure<ExpiryOptions>(configuration.GetSection("Expiry"));
        services.Configure<EscalationOptions>(configuration.GetSection("Escalation"));
        services.AddSingleton<RegistrationExpiryService>();
        services.AddHostedService(sp => sp.GetRequiredService<RegistrationExpiryService>());
        services.AddHostedService<IdempotencyPurgeService>();
        services.AddSingleton<ConflictEscalationService>();
        services.AddHostedService(sp => sp.GetRequiredService<ConflictEscalationService>());
        services.AddSingleton<InvitationExpiryService>();
        services.AddHostedService(sp => sp.GetRequiredService<InvitationExpiryService>());
        services.AddSingleton<ReferralExpiryService>();
        services.AddHostedService(sp => sp.GetRequiredService<ReferralExpiryService>());
        return services;
    }

    private static void AddAccountMapping(IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(AccountMappingOptions.Section).Get<AccountMappingOptions>() ?? new AccountMappingOptions();
        services.AddSingleton(options);
        services.TryAddSingleton(new CustomerNormaliser(AnyAsciiTransliterator.Instance));
        services.AddSingleton<IAccountKeyer>(_ => new HmacAccountKeyer(options.Secret
            ?? throw new InvalidOperationException("AccountMapping:Secret is not set: account lists cannot be tokenised without it.")));
        services.AddScoped<InTransactionWork>();
        services.AddScoped<IAccountRowStore, SqliteAccountRowStore>();
        services.AddScoped<AccountTokenRekeyer>();
        services.AddScoped<PartnerNameRekeyer>();
    }
}
