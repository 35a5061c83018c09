using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CoSell.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// Holds one opportunity per registration that is not closed as lost, rather than one in all: a registration whose
    /// deal was lost may be made an opportunity again while it is approved, and two conversions still cannot both commit.
    /// </summary>
    public partial class RegistrationDealAfterALoss : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "UX_opportunities_registration_source",
                table: "opportunities");

            migrationBuilder.CreateIndex(
                name: "UX_opportunities_registration_source",
                table: "opportunities",
                column: "source_id",
                unique: true,
                filter: "source_kind = 'Registration' AND Stage <> 'ClosedLost'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The earlier schema holds one deal per registration, lost or not. A registration given a new deal after a lost
            // one cannot go back under it without losing one of them, so going back is refused, saying why, and nothing changes.
            migrationBuilder.Sql(
                """
                CREATE TEMP TABLE "rollback_check" ("count" INTEGER
                    CONSTRAINT "a registration has a lost deal and a newer one; the earlier schema holds one deal per registration"
                    CHECK ("count" = 0));
                INSERT INTO "rollback_check"
                    SELECT COUNT(*) FROM (SELECT source_id FROM opportunities WHERE source_kind = 'Registration' GROUP BY source_id HAVING COUNT(*) > 1);
                DROP TABLE "rollback_check";
                """);

            migrationBuilder.DropIndex(
                name: "UX_opportunities_registration_source",
                table: "opportunities");

            migrationBuilder.CreateIndex(
                name: "UX_opportunities_registration_source",
                table: "opportunities",
                column: "source_id",
                unique: true,
                filter: "source_kind = 'Registration'");
        }
    }
}
