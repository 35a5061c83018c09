using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CoSell.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PartnerNamesUnique : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Partners that already share a name (in any case) are told apart before the unique index is built: the oldest
            // keeps the name, each younger one gets its id added to it (whole: ids made in the same minute share their start),
            // within the 200 characters of a name, and a new version, so a copy read before is seen to be stale. Each renaming
            // is first recorded in the audit log as the service's own change (its instant in ticks, ADR 0003).
            migrationBuilder.Sql("""
                INSERT INTO "audit_log" ("AggregateType", "AggregateId", "Type", "Actor", "ActorPartnerId", "OccurredAt", "Summary", "Audience", "Data")
                SELECT 'partner', "Id", 'partner.updated', 'system', NULL, "At", "Summary", NULL,
                       json_object('partnerId', lower("Id"), 'type', 'partner.updated', 'summary', "Summary", 'actor', 'system', 'occurredAt', "AtText")
                FROM (
                    SELECT "Id",
                           CAST(unixepoch('subsec') * 1000 AS INTEGER) * 10000 + 621355968000000000 AS "At",
                           strftime('%Y-%m-%dT%H:%M:%fZ', 'now') AS "AtText",
                           'Partner ''' || "Name" || ''' renamed to ''' || rtrim(substr("Name", 1, 161)) || ' (' || lower("Id") || ')'
                               || ''': an older partner has the same name, and partner names are unique in any case.' AS "Summary"
                    FROM "partners"
                    WHERE EXISTS (
                        SELECT 1 FROM "partners" AS "older"
                        WHERE "older"."Name" = "partners"."Name" COLLATE NOCASE
                          AND ("older"."CreatedAt" < "partners"."CreatedAt"
                               OR ("older"."CreatedAt" = "partners"."CreatedAt" AND "older"."Id" < "partners"."Id"))));

                UPDATE "partners"
                SET "Name" = rtrim(substr("Name", 1, 161)) || ' (' || lower("Id") || ')', "Version" = "Version" + 1
                WHERE EXISTS (
                    SELECT 1 FROM "partners" AS "older"
                    WHERE "older"."Name" = "partners"."Name" COLLATE NOCASE
                      AND ("older"."CreatedAt" < "partners"."CreatedAt"
                           OR ("older"."CreatedAt" = "partners"."CreatedAt" AND "older"."Id" < "partners"."Id")));
                """);

            migrationBuilder.DropIndex(
                name: "IX_partners_Name",
                table: "partners");

            migrationBuilder.AlterColumn<string>(
                name: "Name",
                table: "partners",
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                collation: "NOCASE",
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 200);

            migrationBuilder.CreateIndex(
                name: "IX_partners_Name",
                table: "partners",
                column: "Name",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_partners_Name",
                table: "partners");

            migrationBuilder.AlterColumn<string>(
                name: "Name",
                table: "partners",
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                oldClrType: typeof(string),
                oldType: "TEXT",
                oldMaxLength: 200,
                oldCollation: "NOCASE");

            migrationBuilder.CreateIndex(
                name: "IX_partners_Name",
                table: "partners",
                column: "Name");
        }
    }
}
