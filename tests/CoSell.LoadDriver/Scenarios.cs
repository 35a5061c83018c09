using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Data.Sqlite;

namespace CoSell.LoadDriver;

/// <summary>The HTTP operations the driver measures, one client per partner user.</summary>
internal sealed class HttpScenarios : IDisposable
{
    private static readonly Uri Registrations = new("/api/v1/registrations", UriKind.Relative);
    private static readonly Uri Live = new("/health/live", UriKind.Relative);
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");

    private readonly HttpClient[] _clients;
    private readonly LoadPartner[] _partners;
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    public HttpScenarios(Uri baseAddress, int clients, IReadOnlyList<LoadPartner> partners, Func<LoadPartner, string> token)
    {
        _partners = Enumerable.Range(0, clients).Select(i => partners[i % partners.Count]).ToArray();
        _clients = _partners.Select(p =>
        {
            var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
            {
                BaseAddress = baseAddress,
                Timeout = TimeSpan.FromSeconds(30),
            };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token(p));
            return client;
        }).ToArray();
    }

    /// <summary>Drafts a registration for a customer nobody has claimed, then submits it.</summary>
    public async Task<string?> CreateAndSubmit(int client, long sequence, CancellationToken cancellationToken)
    {
        var http = _clients[client];
        var partner = _partners[client];
        var key = $"{_run}-{client.ToString(CultureInfo.InvariantCulture)}-{sequence.ToString(CultureInfo.InvariantCulture)}";
        var amount = sequence % 4 == 0 ? "12000" : "180000";
        var closeDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(60).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var seed = key.GetHashCode(StringComparison.Ordinal);
        var name = SyntheticNames.Company(seed, 5);
        var domain = SyntheticNames.Domain(seed, 5);
        var body = $$"""
            {"customer":{"name":"{{name}} Ltd","domain":"https://www.{{domain}}/","country":"{{partner.Country}}"},"productLines":["Security","Cloud"],"estimatedValue":{"amount":{{amount}},"currency":"USD"},"expectedCloseDate":"{{closeDate}}","notes":"Met the CISO at a trade show."}
            """;
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = JsonType;
        using var created = await http.PostAsync(Registrations, content, cancellationToken);
        var text = await created.Content.ReadAsStringAsync(cancellationToken);
        if (created.StatusCode != HttpStatusCode.Created)
        {
            return $"create answered {(int)created.StatusCode}: {Truncate(text)}";
        }

        var at = text.IndexOf("\"id\":\"", StringComparison.Ordinal);
        if (at < 0)
        {
            return $"create answered no id: {Truncate(text)}";
        }

        var id = text.Substring(at + 6, 36);
        using var submitted = await http.PostAsync(new Uri($"/api/v1/registrations/{id}/submit", UriKind.Relative), null, cancellationToken);
        if (!submitted.IsSuccessStatusCode)
        {
            return $"submit answered {(int)submitted.StatusCode}: {Truncate(await submitted.Content.ReadAsStringAsync(cancellationToken))}";
        }

        await submitted.Content.ReadAsByteArrayAsync(cancellationToken);
        return null;
    }

    public async Task<string?> HealthLive(int client, long sequence, CancellationToken cancellationToken)
    {
        using var response = await _clients[client].GetAsync(Live, cancellationToken);
        await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return response.StatusCode == HttpStatusCode.OK ? null : $"/health/live answered {(int)response.StatusCode}";
    }

    public void Dispose()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300];
}

/// <summary>
/// Writes what one HTTP create commits (a registration row and its audit row, in one transaction) straight
/// through Microsoft.Data.Sqlite, each writer on its own connection with the service's pragmas.
/// </summary>
internal sealed class RawInserts : IDisposable
{
    private readonly (SqliteConnection Connection, RowWriter Writer)[] _writers;
    private readonly LoadPartner[] _partners;
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    public RawInserts(string databasePath, int writers, IReadOnlyList<LoadPartner> partners, string synchronous)
    {
        _partners = Enumerable.Range(0, writers).Select(i => partners[i % partners.Count]).ToArray();
        _writers = Enumerable.Range(0, writers).Select(_ =>
        {
            var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false, DefaultTimeout = 30 }.ToString());
            connection.Open();
            Seeder.Execute(connection, $"PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous}; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;");
            return (connection, new RowWriter(connection));
        }).ToArray();
    }

    public Task<string?> InsertOne(int client, long sequence, CancellationToken cancellationToken)
    {
        var (connection, writer) = _writers[client];
        var key = $"{_run}-{client.ToString(CultureInfo.InvariantCulture)}-{sequence.ToString(CultureInfo.InvariantCulture)}";
        var (row, audit) = RegistrationFactory.Created(key, _partners[client], sequence % 4 == 0 ? 12_000m : 180_000m, DateTimeOffset.UtcNow);

        // BEGIN IMMEDIATE, as the service's EF Core transactions do.
        using var tx = connection.BeginTransaction(deferred: false);
        writer.Transaction = tx;
        writer.Insert(row);
        writer.Insert(audit);
        tx.Commit();
        writer.Transaction = null;
        return Task.FromResult<string?>(null);
    }

    public void Dispose()
    {
        foreach (var (connection, writer) in _writers)
        {
            writer.Dispose();
            connection.Dispose();
        }
    }
}
