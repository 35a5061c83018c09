using Microsoft.Data.Sqlite;

namespace CoSell.Web.Http;

/// <summary>The SQLite error behind a failure, however deep EF Core or the writer wrapped it.</summary>
internal static class SqliteFailure
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
}
