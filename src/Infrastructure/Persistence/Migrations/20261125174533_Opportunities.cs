using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CoSell.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Opportunities : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "SourceReferralId",
                table: "registrations",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Audience",
                table: "audit_log",
                type: "TEXT",
                maxLength: 60,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "opportunities",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    customer_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    customer_domain = table.Column<string>(type: "TEXT", maxLength: 253, nullable: true),
                    customer_registrable_domain = table.Column<string>(type: "TEXT", maxLength: 253, nullable: true),
                    customer_country = table.Column<string>(type: "TEXT", maxLength: 2, nullable: false),
                    customer_duns = table.Column<string>(type: "TEXT", maxLength: 9, nullable: true),
                    contact_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    contact_email = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true),
                    contact_phone = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    Stage = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    amount_amount = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: false),
                    amount_currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    CloseDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    NextStep = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    OwnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    source_kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    source_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_opportunities", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "referrals",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Direction = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    SentBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    VendorUserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    customer_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    customer_domain = table.Column<string>(type: "TEXT", maxLength: 253, nullable: true),
                    customer_registrable_domain = table.Column<string>(type: "TEXT", maxLength: 253, nullable: true),
                    customer_country = table.Column<string>(type: "TEXT", maxLength: 2, nullable: false),
                    customer_duns = table.Column<string>(type: "TEXT", maxLength: 9, nullable: true),
                    contact_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    contact_email = table.Column<string>(type: "TEXT", maxLength: 254, nullable: true),
                    contact_phone = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    value_amount = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: true),
                    value_currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: true),
                    Message = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    RulesVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    AcceptBy = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RespondedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    RespondedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    DeclineReason = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    DeclineComment = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    ConvertedTo = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    ConvertedId = table.Column<Guid>(type: "TEXT", nullable: true),
                    product_lines = table.Column<string>(type: "TEXT", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_referrals", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "opportunity_participants",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OpportunityId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    InvitedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    InvitedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RespondBy = table.Column<long>(type: "INTEGER", nullable: true),
                    RespondedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Message = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    RejectionReason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_opportunity_participants", x => x.Id);
                    table.ForeignKey(
                        name: "FK_opportunity_participants_opportunities_OpportunityId",
                        column: x => x.OpportunityId,
                        principalTable: "opportunities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_opportunities_CreatedAt",
                table: "opportunities",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_opportunities_customer_duns",
                table: "opportunities",
                column: "customer_duns");

            migrationBuilder.CreateIndex(
                name: "IX_opportunities_customer_registrable_domain",
                table: "opportunities",
                column: "customer_registrable_domain");

            migrationBuilder.CreateIndex(
                name: "IX_opportunities_OwnerId_CreatedAt",
                table: "opportunities",
                columns: new[] { "OwnerId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_opportunities_source_kind_source_id",
                table: "opportunities",
                columns: new[] { "source_kind", "source_id" });

            migrationBuilder.CreateIndex(
                name: "IX_opportunity_participants_OpportunityId",
                table: "opportunity_participants",
                column: "OpportunityId");

            migrationBuilder.CreateIndex(
                name: "IX_opportunity_participants_PartnerId_Status",
                table: "opportunity_participants",
                columns: new[] { "PartnerId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_opportunity_participants_Status_RespondBy",
                table: "opportunity_participants",
                columns: new[] { "Status", "RespondBy" });

            migrationBuilder.CreateIndex(
                name: "IX_referrals_CreatedAt",
                table: "referrals",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_referrals_customer_duns",
                table: "referrals",
                column: "customer_duns");

            migrationBuilder.CreateIndex(
                name: "IX_referrals_customer_registrable_domain",
                table: "referrals",
                column: "customer_registrable_domain");

            migrationBuilder.CreateIndex(
                name: "IX_referrals_PartnerId_CreatedAt",
                table: "referrals",
                columns: new[] { "PartnerId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_referrals_Status_AcceptBy",
                table: "referrals",
                columns: new[] { "Status", "AcceptBy" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "opportunity_participants");

            migrationBuilder.DropTable(
                name: "referrals");

            migrationBuilder.DropTable(
                name: "opportunities");

            migrationBuilder.DropColumn(
                name: "SourceReferralId",
                table: "registrations");

            migrationBuilder.DropColumn(
                name: "Audience",
                table: "audit_log");
        }
    }
}
