using Microsoft.Data.Sqlite;

namespace CoSell.Infrastructure.Persistence;

/// <summary>The SQLite error behind a failure, however deep EF Core or the writer wrapped it.</summary>
public static class SqliteFailure
{
    public static SqliteException? Of(Exception? failure)
    {
        for (; failure is not null; failure = failure.InnerException)
        {
            if (failure is SqliteException sqlite)
            {
                return sqlite;
            }
        }

        return null;
    }

    /// <summary>
    /// SQLite's message, with its extended result code where that says more: "disk I/O error" alone does not tell a
    /// failed lock (3850) from a full disk growing the shared-memory file (4874).
    /// </summary>
    public static string Describe(SqliteException failure) =>
        failure.SqliteExtendedErrorCode != failure.SqliteErrorCode
            ? $"{failure.Message.TrimEnd('.')} (extended code {failure.SqliteExtendedErrorCode})."
            : failure.Message;

    /// <summary>SQLite's "database disk image is malformed" (11) or "file is not a database" (26): the file is damaged.</summary>
    public static bool IsDamage(SqliteException failure) => failure.SqliteErrorCode is 11 or 26;
}
