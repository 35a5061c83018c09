using Microsoft.AspNetCore.Http.Connections;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CoSell.Infrastructure.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace CoSell.Web.Tests.Infrastructure;

/// <summary>
/// The real web host over a real SQLite file of its own, in Development (demo programme seeded),
/// with time on a <see cref="FakeTimeProvider"/> the test moves.
/// </summary>
public class CoSellApp : WebApplicationFactory<Program>
{
    private readonly string _directory;
    private bool _ownsDirectory;

    public CoSellApp()
        : this(Directory.CreateTempSubdirectory("cosell-tests-").FullName)
    {
    }

    private CoSellApp(string directory)
    {
        _directory = directory;
        _ownsDirectory = true;
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>One whose database file is in the folder given, which the caller keeps and deletes.</summary>
    public static CoSellApp In(string directory) => new(directory) { _ownsDirectory = false };

    public string DatabasePath => Path.Combine(_directory, "cosell.db");

    /// <summary>What the host logged, at the levels its configuration lets through.</summary>
    public LogCapture Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:Path", DatabasePath);
        builder.UseSetting("Expiry:Interval", "10.00:00:00");
        builder.UseSetting("Escalation:Interval", "10.00:00:00");
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Time);
            services.AddSingleton<Serilog.Core.ILogEventSink>(Logs);
        });
    }

    /// <summary>Stops this host and starts another on the same database file, as a restart does; the new one owns the file.</summary>
    public CoSellApp Restart()
    {
        Stop();
        return new CoSellApp(_directory);
    }

    /// <summary>
    /// Stops this host as a service stops: its database file stays (the caller deletes its folder), and this returns once
    /// the file is free for another service.
    /// </summary>
    public void Stop()
    {
        _ownsDirectory = false;
        Dispose();
        AwaitFileReleased(DatabasePath);
    }

    /// <summary>
    /// Returns once no host holds the database file's lock. A hosted entry point disposes its host on its own thread as
    /// well as in <see cref="WebApplicationFactory{TEntryPoint}.Dispose()"/>; the second disposal returns at once, before
    /// the first has reached the lock, so a restart in the same process waits for it as one after a process exit would not.
    /// </summary>
    public static void AwaitFileReleased(string databasePath)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var taken = new FileStream(databasePath + ".lock", FileMode.Open, FileAccess.ReadWrite, FileShare.None);
                return;
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                return;
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(10);
            }
        }
    }

    /// <summary>
    /// Runs SQL on the database file, behind the service's back: what another process would commit, or what a command
    /// has committed before its events reach the service's in-memory state.
    /// </summary>
    public async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A client signed in as one of the demo users.</summary>
    public async Task<HttpClient> ClientFor(string user)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenFor(user));
        return client;
    }

    /// <summary>
    /// A client signed in as a demo user that sends a body of unknown length as it is (chunked): the default client's
    /// redirect handler reads every body into a buffer first, so that it can resend it, which gives it a length.
    /// </summary>
    public async Task<HttpClient> StreamingClientFor(string user)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = ClientOptions.BaseAddress });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenFor(user));
        return client;
    }

    /// <summary>A demo user's access token from the Development sign-in.</summary>
    public async Task<string> TokenFor(string user)
    {
        using var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/v1/dev/token", new { user });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TokenBody>())!.AccessToken;
    }

    /// <summary>Stores another active rep (the demo programme has one) and answers its id, for hand-overs between reps.</summary>
    public async Task<Guid> AddRepAsync()
    {
        var id = Guid.NewGuid();
        await Db(async db =>
        {
            db.Users.Add(global::CoSell.Domain.Users.User.Create(id, $"rep-{id:N}", "Second Rep", "rep", null));
            return await db.SaveChangesAsync();
        });
        return id;
    }

    /// <summary>A token whose subject is not a GUID, as many identity providers issue them (<c>auth0|…</c>, <c>00u…</c>).</summary>
    public string TokenForSubject(string subject, string role, Guid? partnerId = null) =>
        Services.GetRequiredService<global::CoSell.Web.Identity.TokenIssuer>().Issue(global::CoSell.Domain.Users.User.Create(
            global::CoSell.Domain.Users.UserIds.FromSubject(subject), $"{role}-subject", "Unseeded", role, partnerId, subject)).Token;

    /// <summary>A token for a user the demo programme does not have (say, a second rep), signed like every other.</summary>
    public string TokenForUnseeded(Guid id, string role, Guid? partnerId = null) =>
        Services.GetRequiredService<global::CoSell.Web.Identity.TokenIssuer>().Issue(global::CoSell.Domain.Users.User.Create(id, $"{role}-{id:N}", "Unseeded", role, partnerId)).Token;

    /// <summary>A real SignalR client on the hub, over WebSockets, signed in as a demo user (token in the <c>access_token</c> query).</summary>
    public async Task<HubClient> HubFor(string user, HttpTransportType transport = HttpTransportType.WebSockets) =>
        await HubClient.ConnectAsync(this, await TokenFor(user), transport);

    /// <summary>Runs a query against the service's own database.</summary>
    public async Task<T> Db<T>(Func<CoSellDbContext, Task<T>> query)
    {
        using var scope = Services.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<CoSellDbContext>());
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (!_ownsDirectory)
        {
            return;
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left for the OS to clean.
        }
    }

    private sealed record TokenBody(string AccessToken);
}
