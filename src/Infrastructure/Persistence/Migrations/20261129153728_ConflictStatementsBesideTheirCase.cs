using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CoSell.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// Statements are stored beside their case instead of in it, and a change of the case no longer reads them: the case
    /// keeps what its rules need, each claim's count of statements in the case's current round and the latest
    /// statement's key, both taken here from the statements already stored.
    /// </summary>
    public partial class ConflictStatementsBesideTheirCase : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "LastStatementId",
                table: "conflicts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "StatementsThisRound",
                table: "conflict_claims",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.Sql("""
                UPDATE "conflicts" SET "LastStatementId" =
                    (SELECT MAX("Id") FROM "conflict_statements" WHERE "conflict_statements"."ConflictId" = "conflicts"."Id");
                """);

            // A round runs from the case's opening or its latest reopening.
            migrationBuilder.Sql("""
                UPDATE "conflict_claims" SET "StatementsThisRound" = (
                    SELECT COUNT(*) FROM "conflict_statements"
                    WHERE "conflict_statements"."ConflictId" = "conflict_claims"."ConflictId"
                      AND "conflict_statements"."ClaimId" = "conflict_claims"."ClaimId"
                      AND "conflict_statements"."At" >= COALESCE(
                          (SELECT MAX("At") FROM "conflict_decision_log"
                           WHERE "conflict_decision_log"."ConflictId" = "conflict_claims"."ConflictId" AND "Kind" IN ('Opened', 'Reopened')),
                          (SELECT "OpenedAt" FROM "conflicts" WHERE "conflicts"."Id" = "conflict_claims"."ConflictId")));
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LastStatementId",
                table: "conflicts");

            migrationBuilder.DropColumn(
                name: "StatementsThisRound",
                table: "conflict_claims");
        }
    }
}
