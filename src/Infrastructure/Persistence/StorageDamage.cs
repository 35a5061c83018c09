using Microsoft.Extensions.Logging;

namespace CoSell.Infrastructure.Persistence;

/// <summary>
/// Remembers the first sign, met by a request or a job, that the service can no longer trust its database file: the file
/// is damaged (a page SQLite cannot read, a log cut short), or it was removed or replaced under the service. Neither
/// mends itself: the pages a probe reads may be sound while others are not, and a file put back at the path is not the
/// one the claims index and the hub's groups were built from (ADR 0005). From then on the service is not ready
/// (<c>/health/ready</c> says why), until it is restarted.
/// </summary>
public sealed class StorageDamage(ILogger<StorageDamage> logger, TimeProvider time)
{
    private string? _found;

    /// <summary>Why the service is not ready, or null while nothing has been met.</summary>
    public string? Found => Volatile.Read(ref _found);

    /// <summary>Whether the failure is the file's damage, or its removal or replacement; the first is logged, once.</summary>
    public bool Observe(Exception? failure)
    {
        var sqlite = SqliteFailure.Of(failure);
        var reason = sqlite switch
        {
            DatabaseFileMovedException moved => $"{moved.Message} Restart the service on the file now at the path{(moved.Gone ? " once it is restored" : "")}.",
            not null when SqliteFailure.IsDamage(sqlite) => $"The database file is damaged: {sqlite.Message} Restart the service on a sound copy (the last backup).",
            _ => null,
        };
        if (reason is null)
        {
            return false;
        }

        if (Interlocked.CompareExchange(ref _found, reason, null) is null)
        {
            if (sqlite is DatabaseFileMovedException moved)
            {
                if (DatabaseFileMoves.SetAsideLog(moved.File, time.GetUtcNow()) is { } setAside)
                {
                    reason = $"{reason} {setAside}";
                    Volatile.Write(ref _found, reason);
                }

                logger.LogCritical("{Reason} The service stays unready until it is restarted", reason);
            }
            else
            {
                logger.LogCritical(
                    "The database file is damaged ({Error}): the service stays unready until it is restarted on a sound copy. Stop it, keep the damaged file, and restore the last backup",
                    sqlite!.Message);
            }
        }

        return true;
    }
}
