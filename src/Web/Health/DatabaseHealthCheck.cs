using CoSell.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CoSell.Web.Health;

/// <summary>
/// Ready only while the database file is there and answers a read of the service's own schema; unhealthy says which of
/// the two failed, so that the log of a failing probe names the cause.
/// </summary>
public sealed class DatabaseHealthCheck(DatabaseOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = new SqliteConnectionStringBuilder(options.EffectiveConnectionString);
        if (settings.Mode != SqliteOpenMode.Memory && settings.DataSource != ":memory:" && !File.Exists(settings.DataSource))
        {
            return HealthCheckResult.Unhealthy($"The database file {Path.GetFullPath(settings.DataSource)} is missing: what is written now would be lost.");
        }

        try
        {
            await using var connection = new SqliteConnection(options.EffectiveConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = """SELECT count(*) FROM "__EFMigrationsHistory" """;
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (SqliteException e)
        {
            return HealthCheckResult.Unhealthy($"The database cannot be read: {e.Message}");
        }
    }
}
