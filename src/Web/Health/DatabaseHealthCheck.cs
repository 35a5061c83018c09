using CoSell.Infrastructure;
using CoSell.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CoSell.Web.Health;

/// <summary>
/// Ready only while the database file is there and answers a read of the service's own schema; unhealthy says which of
/// the two failed, so that the log of a failing probe names the cause. The probe opens the file afresh and never creates
/// it: a pooled connection would still hold a file removed under the service, and SQLite would make a new one. On
/// Linux the file it opens must be the one the service holds since its start (<see cref="DatabaseFileLock"/>): another
/// moved into its place, even while no connection had the old one open, makes it unready. A file found damaged, removed
/// or replaced by the probe or by any request or job keeps it unready, whatever the probe's own read finds
/// (<see cref="StorageDamage"/>).
/// </summary>
public sealed class DatabaseHealthCheck(DatabaseOptions options, StorageDamage damage, DatabaseFileLock held) : IHealthCheck
{
    private readonly string _probe = new SqliteConnectionStringBuilder(options.EffectiveConnectionString) { Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString();
    private readonly string _file = options.FileName;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (damage.Found is { } found)
        {
            return HealthCheckResult.Unhealthy(found);
        }

        try
        {
            await using var connection = new SqliteConnection(_probe);
            await connection.OpenAsync(cancellationToken);
            if (held.HoldsAnotherFileThan(connection.DataSource))
            {
                damage.Observe(new DatabaseFileMovedException(_file, gone: false));
                return HealthCheckResult.Unhealthy(damage.Found);
            }

            await using var command = connection.CreateCommand();
            command.CommandText = """SELECT count(*) FROM "__EFMigrationsHistory" """;
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 14)
        {
            return HealthCheckResult.Unhealthy($"The database file {_file} is missing or cannot be opened: what is written now may be lost. {e.Message}");
        }
        catch (SqliteException e)
        {
            damage.Observe(e);
            return HealthCheckResult.Unhealthy($"The database cannot be read: {e.Message}");
        }
    }
}
