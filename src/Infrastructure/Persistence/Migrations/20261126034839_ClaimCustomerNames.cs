using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CoSell.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ClaimCustomerNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CustomerName",
                table: "conflict_claims",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            // Claims that joined a case before the name was kept take it from the registration or opportunity they are.
            migrationBuilder.Sql("""
                UPDATE "conflict_claims" SET "CustomerName" = COALESCE(
                    (SELECT "customer_name" FROM "registrations" WHERE "registrations"."Id" = "conflict_claims"."ClaimId"),
                    (SELECT "customer_name" FROM "opportunities" WHERE "opportunities"."Id" = "conflict_claims"."ClaimId"));
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CustomerName",
                table: "conflict_claims");
        }
    }
}
