using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CoSell.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// Keeps with each claim of a case the customer's country its holder wrote, which a party reads instead of the case's
    /// (the country of the claim that opened it, possibly a rival's).
    /// </summary>
    public partial class ClaimCountries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Country",
                table: "conflict_claims",
                type: "TEXT",
                maxLength: 2,
                nullable: false,
                defaultValue: "");

            // Claims that joined a case before the country was kept take it from the registration or opportunity they are,
            // and failing that (no such row is left) the case's.
            migrationBuilder.Sql("""
                UPDATE "conflict_claims" SET "Country" = COALESCE(
                    (SELECT "customer_country" FROM "registrations" WHERE "registrations"."Id" = "conflict_claims"."ClaimId"),
                    (SELECT "customer_country" FROM "opportunities" WHERE "opportunities"."Id" = "conflict_claims"."ClaimId"),
                    (SELECT "Country" FROM "conflicts" WHERE "conflicts"."Id" = "conflict_claims"."ConflictId"));
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Country",
                table: "conflict_claims");
        }
    }
}
