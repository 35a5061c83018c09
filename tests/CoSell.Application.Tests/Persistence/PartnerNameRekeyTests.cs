using System.Collections.Concurrent;
using CoSell.Application.Abstractions;
using CoSell.Domain.Partners;
using CoSell.Infrastructure;
using CoSell.Infrastructure.Seeding;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoSell.Application.Tests.Persistence;

/// <summary>
/// The start brings stored partners' name keys to today's rules with plain SQL (ADR 0023): every key that can move does,
/// in an order the unique index takes, and one that would be another partner's stays as it is, with a warning.
/// </summary>
public sealed class PartnerNameRekeyTests
{
    [Fact]
    public async Task KeysMove_InAnOrderTheUniqueIndexTakes_AKeyAnotherHoldsStays_AndARestartChangesNothing()
    {
        var connectionString = $"Data Source=partner-keys-{Guid.NewGuid():N};Mode=Memory;Cache=Shared";
        using var keepAlive = new SqliteConnection(connectionString);
        keepAlive.Open();
        var logs = new RecordingLogs();
        using var services = Services(connectionString, logs);
        using (var scope = services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<DatabaseInitialiser>().InitialiseAsync(seedDemo: false, CancellationToken.None);
        }

        var (litware, litwareOld, adatum, adatumTwin) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        // Litware's key is one a partner of another name held; that partner moves off it first. Of the two Adatums the
        // later holds today's key already, so the earlier keeps the one it has.
        Insert(keepAlive, litware, "Litware\u200D Inc", "LITWARE\u200D INC", day: 1);
        Insert(keepAlive, litwareOld, "Litware Incorporated", "LITWARE INC", day: 2);
        Insert(keepAlive, adatum, "Adatum\u200E Corp", "ADATUM\u200E CORP", day: 3);
        Insert(keepAlive, adatumTwin, "Adatum Corp", "ADATUM CORP", day: 4);

        var rekeyed = await Rekey(services);

        rekeyed.Should().Be(2);
        Keys(keepAlive).Should().BeEquivalentTo(new Dictionary<Guid, string>
        {
            [litware] = "LITWARE INC",
            [litwareOld] = "LITWARE INCORPORATED",
            [adatum] = "ADATUM\u200E CORP",
            [adatumTwin] = "ADATUM CORP",
        });
        Keys(keepAlive)[litware].Should().Be(Partner.KeyOf("Litware\u200D Inc"), "the key is the one the domain makes");
        logs.Warnings.Should().ContainSingle().Which.Should().Contain(adatum.ToString()).And.Contain(adatumTwin.ToString()).And.Contain("rename one of them");

        (await Rekey(services)).Should().Be(0, "every key that can be today's is");
    }

    private static async Task<int> Rekey(ServiceProvider services)
    {
        using var scope = services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<PartnerNameRekeyer>().RekeyAsync(CancellationToken.None);
    }

    private static ServiceProvider Services(string connectionString, RecordingLogs logs)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = connectionString,
            ["AccountMapping:Secret"] = "one-secret-for-the-partner-key-test-0001",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning).AddProvider(logs));
        services.AddCoSellApplication();
        services.AddCoSellInfrastructure(configuration);
        services.AddScoped<ICurrentUser>(_ => new TestUser());
        services.AddSingleton<IRealtimeNotifier>(new RecordingNotifier());
        return services.BuildServiceProvider();
    }

    /// <summary>A partner row as an earlier build stored it, its id in the stored form (upper-case text).</summary>
    private static void Insert(SqliteConnection connection, Guid id, string name, string key, int day)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO partners (Id, Name, NameKey, Tier, Status, ChannelManagerId, CreatedAt, territories, Version) VALUES ($id, $name, $key, 'Gold', 'Active', NULL, $at, '[\"US\"]', 1)";
        command.Parameters.AddWithValue("$id", id.ToString().ToUpperInvariant());
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$at", new DateTimeOffset(2026, 1, day, 9, 0, 0, TimeSpan.Zero).UtcTicks);
        command.ExecuteNonQuery();
    }

    private static Dictionary<Guid, string> Keys(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id, NameKey FROM partners";
        using var reader = command.ExecuteReader();
        var keys = new Dictionary<Guid, string>();
        while (reader.Read())
        {
            keys[Guid.Parse(reader.GetString(0))] = reader.GetString(1);
        }

        return keys;
    }

    private sealed class RecordingLogs : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _warnings = new();

        public IReadOnlyList<string> Warnings => [.. _warnings];

        public ILogger CreateLogger(string categoryName) => new Logger(_warnings);

        public void Dispose()
        {
        }

        private sealed class Logger(ConcurrentQueue<string> warnings) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                if (logLevel == LogLevel.Warning)
                {
                    warnings.Enqueue(formatter(state, exception));
                }
            }
        }
    }
}
