using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CoSell.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// Indexes the claim a case awarded: a close as won, a conversion and a conflict decision each look up the cases
    /// that awarded a registration, which read every case without it.
    /// </summary>
    public partial class ConflictAwardedClaimIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_conflicts_AwardedClaimId",
                table: "conflicts",
                column: "AwardedClaimId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_conflicts_AwardedClaimId",
                table: "conflicts");
        }
    }
}
