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
            // within the 200 characters of a name, and a new version, so a copy read before is seen to be stale.
            migrationBuilder.Sql("""
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
