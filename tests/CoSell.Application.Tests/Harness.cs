using CoSell.Application.Abstractions;
using Ardalis.Specification;
using CoSell.Domain.Registrations;
using CoSell.Domain.SeedWork;
using CoSell.Infrastructure;
using CoSell.Infrastructure.Persistence;
using CoSell.Infrastructure.Seeding;
using MediatR;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CoSell.Application.Tests;

/// <summary>The application's real composition over a shared in-memory SQLite database, without HTTP.</summary>
public sealed class Harness : IAsyncLifetime, IDisposable
{
    private readonly string _connectionString = $"Data Source=cosell-{Guid.NewGuid():N};Mode=Memory;Cache=Shared";
    private readonly SqliteConnection _keepAlive;

    public Harness()
    {
        // An in-memory database lives as long as one connection to it is open.
        _keepAlive = new SqliteConnection(_connectionString);
        _keepAlive.Open();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Database:ConnectionString"] = _connectionString, ["AccountMapping:Secret"] = "application-tests-account-mapping-secret-0001" })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning)
            .AddFilter(DbLoggerCategory.Database.Command.Name, LogLevel.Information)
            .AddProvider(new CommandCapture(this)));
        services.AddCoSellApplication();
        services.AddCoSellInfrastructure(configuration);
        services.RemoveAll<TimeProvider>();
        services.AddSingleton<TimeProvider>(Time);
        services.AddScoped<ICurrentUser>(_ => User);
        services.AddSingleton<IRealtimeNotifier>(Notifier);
        services.AddScoped<IRepository<DealRegistration>>(sp => new ListingHookRepository<DealRegistration>(ActivatorUtilities.CreateInstance<EfRepository<DealRegistration>>(sp), this));
        // Last, so innermost: it runs once the handler has run and before the unit-of-work behaviour commits.
        services.AddSingleton(this);
        services.AddScoped(typeof(IPipelineBehavior<,>), typeof(BeforeCommitBehaviour<,>));
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = false });
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));

    public TestUser User { get; } = new();

    public RecordingNotifier Notifier { get; } = new();

    /// <summary>
    /// Runs between a command's handler and its commit, once, then clears itself: what it commits (in a scope of its own)
    /// lands between the command's reads and its commit, as a concurrent request's would.
    /// </summary>
    public Func<Task>? BeforeCommit { get; set; }

    /// <summary>
    /// Runs before a command's next list of registrations is read, once, then clears itself: what it commits lands between
    /// the reads a command made before that list and the list itself.
    /// </summary>
    public Func<Task>? BeforeListingRegistrations { get; set; }

    public ServiceProvider Services { get; }

    /// <summary>The text of every SQL command run while it is set, as EF Core logs it; null keeps none.</summary>
    public List<string>? Commands { get; set; }

    public async Task InitializeAsync()
    {
        using var scope = Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitialiser>().InitialiseAsync(seedDemo: true, CancellationToken.None);
    }

    /// <summary>Sends one request in its own scope, as one HTTP request would.</summary>
    public async Task<T> Send<T>(IRequest<T> request)
    {
        using var scope = Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
    }

    public async Task<T> InScope<T>(Func<IServiceProvider, Task<T>> work)
    {
        using var scope = Services.CreateScope();
        return await work(scope.ServiceProvider);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        Services.Dispose();
        _keepAlive.Dispose();
    }
}

public sealed class TestUser : ICurrentUser
{
    public bool IsAuthenticated { get; private set; }

    public string UserId { get; private set; } = string.Empty;

    public string Role { get; private set; } = string.Empty;

    public Guid? PartnerId { get; private set; }

    public TestUser Is(Guid id, string role, Guid? partnerId = null)
    {
        IsAuthenticated = true;
        UserId = id.ToString();
        Role = role;
        PartnerId = partnerId;
        return this;
    }
}

public sealed class RecordingNotifier : IRealtimeNotifier
{
    private readonly List<RegistrationStatusMessage> _messages = [];

    public IReadOnlyList<RegistrationStatusMessage> Messages
    {
        get
        {
            lock (_messages)
            {
                return _messages.ToList();
            }
        }
    }

    public List<(ConflictChangedMessage Message, ConflictAudience Audience)> Conflicts { get; } = [];

    public Task ConflictChangedAsync(ConflictChangedMessage message, ConflictAudience audience, CancellationToken cancellationToken)
    {
        lock (Conflicts)
        {
            Conflicts.Add((message, audience));
        }

        return Task.CompletedTask;
    }

    public Task OpportunityChangedAsync(OpportunityChangedMessage message, RealtimeAudience audience, PartnerActor? actor, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task NoteAddedAsync(NoteAddedMessage message, PartnerActor? author, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task OwnerChangedAsync(Guid opportunityId, Guid ownerId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ParticipationEndedAsync(Guid opportunityId, Guid partnerId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task PartnerSuspendedAsync(Guid partnerId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ReferralChangedAsync(ReferralChangedMessage message, Guid partnerId, IReadOnlyList<Guid> vendorUserIds, CancellationToken cancellationToken) => Task.CompletedTask;

    public List<(RegistrationStatusMessage Message, IReadOnlyList<Guid> ChannelManagers)> Queued { get; } = [];

    public Task ReviewQueuedAsync(RegistrationStatusMessage message, IReadOnlyList<Guid> channelManagerIds, CancellationToken cancellationToken)
    {
        lock (Queued)
        {
            Queued.Add((message, channelManagerIds));
        }

        return Task.CompletedTask;
    }

    public List<(ReviewQueueLeftMessage Message, IReadOnlyList<Guid> ChannelManagers)> Left { get; } = [];

    public Task ReviewQueueLeftAsync(ReviewQueueLeftMessage message, IReadOnlyList<Guid> channelManagerIds, CancellationToken cancellationToken)
    {
        lock (Left)
        {
            Left.Add((message, channelManagerIds));
        }

        return Task.CompletedTask;
    }

    public Task RegistrationStatusChangedAsync(RegistrationStatusMessage message, CancellationToken cancellationToken)
    {
        lock (_messages)
        {
            _messages.Add(message);
        }

        return Task.CompletedTask;
    }
}

/// <summary>The store's repository, which runs <see cref="Harness.BeforeListingRegistrations"/> before it reads a list.</summary>
public sealed class ListingHookRepository<T>(IRepository<T> store, Harness harness) : IRepository<T>
    where T : AggregateRoot
{
    public Task<T?> GetByIdAsync(Guid id, CancellationToken cancellationToken) => store.GetByIdAsync(id, cancellationToken);

    public Task<T?> FirstOrDefaultAsync(ISpecification<T> specification, CancellationToken cancellationToken) => store.FirstOrDefaultAsync(specification, cancellationToken);

    public Task<TResult?> FirstOrDefaultAsync<TResult>(ISpecification<T, TResult> specification, CancellationToken cancellationToken) => store.FirstOrDefaultAsync(specification, cancellationToken);

    public async Task<List<T>> ListAsync(ISpecification<T> specification, CancellationToken cancellationToken)
    {
        if (harness.BeforeListingRegistrations is { } meanwhile)
        {
            harness.BeforeListingRegistrations = null;
            await meanwhile();
        }

        return await store.ListAsync(specification, cancellationToken);
    }

    public Task<List<TResult>> ListAsync<TResult>(ISpecification<T, TResult> specification, CancellationToken cancellationToken) => store.ListAsync(specification, cancellationToken);

    public Task<int> CountAsync(ISpecification<T> specification, CancellationToken cancellationToken) => store.CountAsync(specification, cancellationToken);

    public Task<bool> AnyAsync(ISpecification<T> specification, CancellationToken cancellationToken) => store.AnyAsync(specification, cancellationToken);

    public void Add(T aggregate) => store.Add(aggregate);

    public void RequireUnchanged(T aggregate, bool moveVersionOn = false) => store.RequireUnchanged(aggregate, moveVersionOn);

    public void RequireNoneAdded(ISpecification<T> specification, IReadOnlyCollection<T> read) => store.RequireNoneAdded(specification, read);
}

/// <summary>Runs <see cref="Harness.BeforeCommit"/> after the handler, inside the unit of work, before its commit.</summary>
public sealed class BeforeCommitBehaviour<TRequest, TResponse>(Harness harness) : IPipelineBehavior<TRequest, TResponse>
{
    public async Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken, RequestHandlerDelegate<TResponse> next)
    {
        var response = await next();
        if (harness.BeforeCommit is { } meanwhile)
        {
            harness.BeforeCommit = null;
            await meanwhile();
        }

        return response;
    }
}

/// <summary>Keeps EF Core's executed commands in <see cref="Harness.Commands"/> while it is set.</summary>
public sealed class CommandCapture(Harness harness) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) =>
        categoryName == DbLoggerCategory.Database.Command.Name ? new Logger(harness) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose()
    {
    }

    private sealed class Logger(Harness harness) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        // Always: EF Core remembers whether a level is enabled, so a logger that changes its mind is not asked again.
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (harness.Commands is { } commands && eventId.Id == Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.CommandExecuted.Id)
            {
                lock (commands)
                {
                    commands.Add(formatter(state, exception));
                }
            }
        }
    }
}
