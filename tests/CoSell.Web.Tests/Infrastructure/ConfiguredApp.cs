using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CoSell.Web.Tests.Infrastructure;

/// <summary>The real web host in a chosen environment with exactly the given settings, over a SQLite file of its own.</summary>
public sealed class ConfiguredApp(string environment, IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cosell-host-tests-").FullName;

    /// <summary>Settings of a production deployment that signs its own tokens.</summary>
    public static Dictionary<string, string?> ProductionAuth(string signingKey) => new()
    {
        ["Auth:Issuer"] = "https://login.cosell.example",
        ["Auth:Audience"] = "cosell-api",
        ["Auth:SigningKey"] = signingKey,
        ["AccountMapping:Secret"] = "production-account-mapping-secret-0123456789abcdef",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        builder.UseSetting("Database:Path", Path.Combine(_directory, "cosell.db"));
        builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        if (services is not null)
        {
            builder.ConfigureTestServices(services);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left for the OS to clean.
        }
    }
}
