using Microsoft.Extensions.Logging;

namespace CoSell.Infrastructure.Persistence;

/// <summary>
/// Remembers the first sign that the database file is damaged (a page SQLite cannot read, a log cut short), met by a
/// request or a job. Damage does not mend itself, and the pages a probe reads may be sound while others are not: from
/// then on the service is not ready (<c>/health/ready</c> says why), until it is restarted on a sound copy.
/// </summary>
public sealed class StorageDamage(ILogger<StorageDamage> logger)
{
    private string? _found;

    /// <summary>SQLite's words for the damage first met, or null while none has been.</summary>
    public string? Found => Volatile.Read(ref _found);

    /// <summary>Whether the failure is the file's damage; the first is logged, once.</summary>
    public bool Observe(Exception? failure)
    {
        if (SqliteFailure.Of(failure) is not { } sqlite || !SqliteFailure.IsDamage(sqlite))
        {
            return false;
        }

        if (Interlocked.CompareExchange(ref _found, sqlite.Message, null) is null)
        {
            logger.LogCritical(
                "The database file is damaged ({Error}): the service stays unready until it is restarted on a sound copy. Stop it, keep the damaged file, and restore the last backup",
                sqlite.Message);
        }

        return true;
    }
}
