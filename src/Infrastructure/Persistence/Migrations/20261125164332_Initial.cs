using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CoSell.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "audit_log",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AggregateType = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    AggregateId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Type = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    OccurredAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Summary = table.Column<string>(type: "TEXT", nullable: false),
                    Data = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_audit_log", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "idempotency_keys",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    RequestHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    StatusCode = table.Column<int>(type: "INTEGER", nullable: false),
                    ResponseBody = table.Column<string>(type: "TEXT", nullable: false),
                    Location = table.Column<string>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_idempotency_keys", x => x.Key);
                });

            migrationBuilder.CreateTable(
                name: "partners",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Tier = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ChannelManagerId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    territories = table.Column<string>(type: "TEXT", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_partners", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "registrations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    RegisteredBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    customer_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    customer_domain = table.Column<string>(type: "TEXT", maxLength: 253, nullable: true),
                    customer_registrable_domain = table.Column<string>(type: "TEXT", maxLength: 253, nullable: true),
                    customer_country = table.Column<string>(type: "TEXT", maxLength: 2, nullable: false),
                    customer_duns = table.Column<string>(type: "TEXT", maxLength: 9, nullable: true),
                    value_amount = table.Column<decimal>(type: "TEXT", precision: 18, scale: 2, nullable: false),
                    value_currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    ExpectedCloseDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Notes = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    RulesVersion = table.Column<int>(type: "INTEGER", nullable: true),
                    Tier = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    ReviewerId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    SubmittedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ReviewDueAt = table.Column<long>(type: "INTEGER", nullable: true),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ProtectionEndsAt = table.Column<long>(type: "INTEGER", nullable: true),
                    ExtensionsUsed = table.Column<int>(type: "INTEGER", nullable: false),
                    RejectionReason = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    LossReason = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    ReviewerMessage = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    ClosedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    duplicate = table.Column<string>(type: "TEXT", nullable: false),
                    AutoApproved = table.Column<bool>(type: "INTEGER", nullable: false),
                    product_lines = table.Column<string>(type: "TEXT", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registrations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "rules_versions",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Number = table.Column<int>(type: "INTEGER", nullable: false),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false),
                    Currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    LikelyDuplicateThreshold = table.Column<double>(type: "REAL", nullable: false),
                    PossibleDuplicateThreshold = table.Column<double>(type: "REAL", nullable: false),
                    DirectLookbackDays = table.Column<int>(type: "INTEGER", nullable: false),
                    ConflictSlaHours = table.Column<int>(type: "INTEGER", nullable: false),
                    ReferralAcceptSlaHours = table.Column<int>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    tiers = table.Column<string>(type: "TEXT", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_rules_versions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "users",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    UserName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    DisplayName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: true),
                    IsActive = table.Column<bool>(type: "INTEGER", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_users", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_audit_log_AggregateType_AggregateId_Id",
                table: "audit_log",
                columns: new[] { "AggregateType", "AggregateId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_idempotency_keys_CreatedAt",
                table: "idempotency_keys",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_partners_Name",
                table: "partners",
                column: "Name");

            migrationBuilder.CreateIndex(
                name: "IX_registrations_CreatedAt",
                table: "registrations",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_registrations_customer_duns",
                table: "registrations",
                column: "customer_duns");

            migrationBuilder.CreateIndex(
                name: "IX_registrations_customer_registrable_domain",
                table: "registrations",
                column: "customer_registrable_domain");

            migrationBuilder.CreateIndex(
                name: "IX_registrations_PartnerId_CreatedAt",
                table: "registrations",
                columns: new[] { "PartnerId", "CreatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_registrations_Status_ProtectionEndsAt",
                table: "registrations",
                columns: new[] { "Status", "ProtectionEndsAt" });

            migrationBuilder.CreateIndex(
                name: "IX_registrations_Status_ReviewDueAt",
                table: "registrations",
                columns: new[] { "Status", "ReviewDueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_rules_versions_Number",
                table: "rules_versions",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_users_UserName",
                table: "users",
                column: "UserName",
                unique: true);

            // The audit log is append-only: the database itself refuses to change or remove a row.
            migrationBuilder.Sql("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;");
            migrationBuilder.Sql("CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_log_no_update;");
            migrationBuilder.Sql("DROP TRIGGER IF EXISTS audit_log_no_delete;");
            migrationBuilder.DropTable(
                name: "audit_log");

            migrationBuilder.DropTable(
                name: "idempotency_keys");

            migrationBuilder.DropTable(
                name: "partners");

            migrationBuilder.DropTable(
                name: "registrations");

            migrationBuilder.DropTable(
                name: "rules_versions");

            migrationBuilder.DropTable(
                name: "users");
        }
    }
}
