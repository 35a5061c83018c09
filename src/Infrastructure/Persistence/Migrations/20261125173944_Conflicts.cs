using System;
using CoSell.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CoSell.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Conflicts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "conflicts",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    CustomerName = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    CustomerKey = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    Country = table.Column<string>(type: "TEXT", maxLength: 2, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    RulesVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    RuleFired = table.Column<string>(type: "TEXT", maxLength: 60, nullable: false),
                    RuleExplanation = table.Column<string>(type: "TEXT", nullable: false),
                    RecommendedClaimId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Recommendation = table.Column<string>(type: "TEXT", nullable: false),
                    ArbiterId = table.Column<Guid>(type: "TEXT", nullable: true),
                    SlaDueAt = table.Column<long>(type: "INTEGER", nullable: false),
                    EscalatedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    OpenedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    OpenedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    DecidedAt = table.Column<long>(type: "INTEGER", nullable: true),
                    Decision = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    AwardedClaimId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Rationale = table.Column<string>(type: "TEXT", nullable: true),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_conflicts", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "conflict_claims",
                columns: table => new
                {
                    RowId = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ClaimId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: true),
                    OwnerUserId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ClaimedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    JoinedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ConflictId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_conflict_claims", x => x.RowId);
                    table.ForeignKey(
                        name: "FK_conflict_claims_conflicts_ConflictId",
                        column: x => x.ConflictId,
                        principalTable: "conflicts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "conflict_decision_log",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Actor = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 8400, nullable: false),
                    Decision = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    AwardedClaimId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ConflictId = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_conflict_decision_log", x => x.Id);
                    table.ForeignKey(
                        name: "FK_conflict_decision_log_conflicts_ConflictId",
                        column: x => x.ConflictId,
                        principalTable: "conflicts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "conflict_statements",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    ClaimId = table.Column<Guid>(type: "TEXT", nullable: false),
                    AuthorId = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 8000, nullable: false),
                    At = table.Column<long>(type: "INTEGER", nullable: false),
                    ConflictId = table.Column<Guid>(type: "TEXT", nullable: false),
                    links = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_conflict_statements", x => x.Id);
                    table.ForeignKey(
                        name: "FK_conflict_statements_conflicts_ConflictId",
                        column: x => x.ConflictId,
                        principalTable: "conflicts",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_conflict_claims_ClaimId",
                table: "conflict_claims",
                column: "ClaimId");

            migrationBuilder.CreateIndex(
                name: "IX_conflict_claims_ConflictId",
                table: "conflict_claims",
                column: "ConflictId");

            migrationBuilder.CreateIndex(
                name: "IX_conflict_claims_PartnerId",
                table: "conflict_claims",
                column: "PartnerId");

            migrationBuilder.CreateIndex(
                name: "IX_conflict_decision_log_ConflictId",
                table: "conflict_decision_log",
                column: "ConflictId");

            migrationBuilder.CreateIndex(
                name: "IX_conflict_statements_ConflictId",
                table: "conflict_statements",
                column: "ConflictId");

            migrationBuilder.CreateIndex(
                name: "IX_conflicts_ArbiterId_Status_SlaDueAt",
                table: "conflicts",
                columns: new[] { "ArbiterId", "Status", "SlaDueAt" });

            migrationBuilder.CreateIndex(
                name: "IX_conflicts_DecidedAt",
                table: "conflicts",
                column: "DecidedAt");

            migrationBuilder.CreateIndex(
                name: "IX_conflicts_OpenedAt",
                table: "conflicts",
                column: "OpenedAt");

            migrationBuilder.CreateIndex(
                name: "IX_conflicts_Status_SlaDueAt",
                table: "conflicts",
                columns: new[] { "Status", "SlaDueAt" });

            // The decision log and the parties' statements are append-only.
            AppendOnlyTables.Protect(migrationBuilder, "conflict_decision_log");
            AppendOnlyTables.Protect(migrationBuilder, "conflict_statements");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            AppendOnlyTables.Unprotect(migrationBuilder, "conflict_decision_log");
            AppendOnlyTables.Unprotect(migrationBuilder, "conflict_statements");
            migrationBuilder.DropTable(
                name: "conflict_claims");

            migrationBuilder.DropTable(
                name: "conflict_decision_log");

            migrationBuilder.DropTable(
                name: "conflict_statements");

            migrationBuilder.DropTable(
                name: "conflicts");
        }
    }
}
