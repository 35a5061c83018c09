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
