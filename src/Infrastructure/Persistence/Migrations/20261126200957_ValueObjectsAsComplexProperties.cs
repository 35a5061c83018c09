using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CoSell.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ValueObjectsAsComplexProperties : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_registrations_customer_duns",
                table: "registrations");

            migrationBuilder.DropIndex(
                name: "IX_registrations_customer_registrable_domain",
                table: "registrations");

            migrationBuilder.DropIndex(
                name: "IX_referrals_customer_duns",
                table: "referrals");

            migrationBuilder.DropIndex(
                name: "IX_referrals_customer_registrable_domain",
                table: "referrals");

            migrationBuilder.DropIndex(
                name: "IX_opportunities_customer_duns",
                table: "opportunities");

            migrationBuilder.DropIndex(
                name: "IX_opportunities_customer_registrable_domain",
                table: "opportunities");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_registrations_customer_duns",
                table: "registrations",
                column: "customer_duns");

            migrationBuilder.CreateIndex(
                name: "IX_registrations_customer_registrable_domain",
                table: "registrations",
                column: "customer_registrable_domain");

            migrationBuilder.CreateIndex(
                name: "IX_referrals_customer_duns",
                table: "referrals",
                column: "customer_duns");

            migrationBuilder.CreateIndex(
                name: "IX_referrals_customer_registrable_domain",
                table: "referrals",
                column: "customer_registrable_domain");

            migrationBuilder.CreateIndex(
                name: "IX_opportunities_customer_duns",
                table: "opportunities",
                column: "customer_duns");

            migrationBuilder.CreateIndex(
                name: "IX_opportunities_customer_registrable_domain",
                table: "opportunities",
                column: "customer_registrable_domain");
        }
    }
}
