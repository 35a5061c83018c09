using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CoSell.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ConflictClaimInvited : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "Invited",
                table: "conflict_claims",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Invited",
                table: "conflict_claims");
        }
    }
}
