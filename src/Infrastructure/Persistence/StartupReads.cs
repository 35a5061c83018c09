using Microsoft.Data.Sqlite;

namespace CoSell.Infrastructure.Persistence;

/// <summary>
/// The few reads every start makes, as plain SQL on a connection of their own. An idle service that has compiled no
/// EF Core query keeps none of EF Core's query pipeline loaded; the first request compiles what it needs (ADR 0015).
/// Each read names the mapping's tables and columns, and the tests of its caller hold it to them.
/// </summary>
internal static class StartupReads
{
    public static async Task<object?> ScalarAsync(string? connectionString, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
