using Microsoft.EntityFrameworkCore.Migrations;

namespace CoSell.Infrastructure.Persistence;

/// <summary>Makes a table append-only in the database itself: UPDATE and DELETE are refused by triggers.</summary>
public static class AppendOnlyTables
{
    public static void Protect(MigrationBuilder migrationBuilder, string table)
    {
        migrationBuilder.Sql($"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;");
        migrationBuilder.Sql($"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;");
    }

    public static void Unprotect(MigrationBuilder migrationBuilder, string table)
    {
        migrationBuilder.Sql($"DROP TRIGGER IF EXISTS {table}_no_update;");
        migrationBuilder.Sql($"DROP TRIGGER IF EXISTS {table}_no_delete;");
    }
}
