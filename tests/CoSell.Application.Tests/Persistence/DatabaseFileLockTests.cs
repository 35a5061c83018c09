using CoSell.Infrastructure;
using CoSell.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;

namespace CoSell.Application.Tests.Persistence;

/// <summary>Alone: another test class clearing every pool of the process as it cleans up would close the pooled connection.</summary>
[CollectionDefinition(nameof(DatabaseFileLockTests), DisableParallelization = true)]
[Collection(nameof(DatabaseFileLockTests))]
public sealed class DatabaseFileLockTests
{
    // Before, the lock went and left the connections the pool keeps open, with the log beside the file. (That it closes
    // them before it lets the file go, rather than after, this cannot see.)
    [Fact]
    public async Task LettingTheFileGo_ClosesTheConnectionsThePoolKeeps_WithTheLogMovedIntoTheFile()
    {
        var folder = Directory.CreateTempSubdirectory("cosell-lock-").FullName;
        try
        {
            var options = new DatabaseOptions { Path = Path.Combine(folder, "cosell.db") };
            var held = DatabaseFileLock.Take(options, out var refused);
            refused.Should().BeNull();
            await using (var connection = new SqliteConnection(options.EffectiveConnectionString))
            {
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('written last');";
                await command.ExecuteNonQueryAsync();
            }

            File.Exists(options.Path + "-wal").Should().BeTrue("the pool keeps the connection open, and its log with it");

            held.Dispose();

            File.Exists(options.Path + "-wal").Should().BeFalse("the last connection moved the log into the file as it closed");
            var copy = Path.Combine(folder, "copy.db");
            File.Copy(options.Path, copy);
            await using var reading = new SqliteConnection($"Data Source={copy};Pooling=False");
            await reading.OpenAsync();
            await using var read = reading.CreateCommand();
            read.CommandText = "SELECT text FROM notes";
            (await read.ExecuteScalarAsync()).Should().Be("written last");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
