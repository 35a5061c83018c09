using Microsoft.Data.Sqlite;

namespace CoSell.Infrastructure.Persistence;

/// <summary>
/// The file a connection has open is no longer the one the database path names: removed, or replaced by another file
/// moved into its place (a backup restored under the service). SQLite's "unable to open" (14), answered 503.
/// </summary>
public sealed class DatabaseFileMovedException(string file, bool gone)
    : SqliteException(
        gone
            ? $"The database file {file} is missing: it was removed under the service, which reads and writes nothing through the connections it had open on it."
            : $"The database file {file} was replaced under the service (another file moved into its place): the service reads and writes nothing through the connections it had open on the file it replaced{(OperatingSystem.IsLinux() ? ", nor in the file now at the path" : "")}.",
        14,
        14)
{
    /// <summary>Whether no file is at the path; otherwise another file is.</summary>
    public bool Gone { get; } = gone;

    /// <summary>The database path, in full.</summary>
    public string File { get; } = file;
}
