using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CoSell.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class UserNameAnyCase : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Users added while names were compared case for case (bob, Bob) are told apart before the column's unique index
            // is rebuilt to compare in any case, which their rows would otherwise fail: the first added keeps its name, each
            // later one gets its id added to it ("Bob+<id>", characters a user name takes, within its 100) and a new version.
            // Each renaming is first recorded in the audit log as the service's own change (its instant in ticks, ADR 0003).
            // A user signs in by its identity provider's subject, not its name, so none is locked out.
            migrationBuilder.Sql("""
                INSERT INTO "audit_log" ("AggregateType", "AggregateId", "Type", "Actor", "ActorPartnerId", "OccurredAt", "Summary", "Audience", "Data")
                SELECT 'user', "Id", 'user.renamed', 'system', NULL, "At", "Summary", NULL,
                       json_object('userId', lower("Id"), 'type', 'user.renamed', 'summary', "Summary", 'actor', 'system', 'occurredAt', "AtText")
                FROM (
                    SELECT "Id",
                           CAST(unixepoch('subsec') * 1000 AS INTEGER) * 10000 + 621355968000000000 AS "At",
                           strftime('%Y-%m-%dT%H:%M:%fZ', 'now') AS "AtText",
                           'User ''' || "UserName" || ''' renamed to ''' || substr("UserName", 1, 63) || '+' || lower("Id")
                               || ''': an earlier user has the same name, and user names are unique in any case.' AS "Summary"
                    FROM "users"
                    WHERE EXISTS (
                        SELECT 1 FROM "users" AS "earlier"
                        WHERE "earlier"."UserName" = "users"."UserName" COLLATE NOCASE AND "earlier"."rowid" < "users"."rowid"));

                UPDATE "users"
                SET "UserName" = substr("UserName", 1, 63) || '+' || lower("Id"), "Version" = "Version" + 1
                WHERE EXISTS (
                    SELECT 1 FROM "users" AS "earlier"
                    WHERE "earlier"."UserName" = "users"."UserName" COLLATE NOCASE AND "earlier"."rowid" < "users"."rowid");
                """);

            migrationBuilder.AlterColumn<string>(
                name: "UserName",
                table: "users",
                type: "TEXT",
                maxLength: 100,
                nullable: false,
                collation: "NOCASE",
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 100);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "UserName",
                table: "users",
                type: "TEXT",
                maxLength: 100,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 100,
                oldCollation: "NOCASE");
        }
    }
}
