using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CoSell.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class AccountMapping : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "account_lists",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    Owner = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Population = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    RowCount = table.Column<int>(type: "INTEGER", nullable: false),
                    PrivateCount = table.Column<int>(type: "INTEGER", nullable: false),
                    RejectedCount = table.Column<int>(type: "INTEGER", nullable: false),
                    UploadedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    UploadedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_account_lists", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "account_mapping_state",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    KeyFingerprint = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    KeyedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_account_mapping_state", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "account_rows",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    list_id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    line = table.Column<int>(type: "INTEGER", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    domain = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: true),
                    country = table.Column<string>(type: "TEXT", maxLength: 2, nullable: false),
                    duns = table.Column<string>(type: "TEXT", maxLength: 9, nullable: true),
                    @private = table.Column<bool>(name: "private", type: "INTEGER", nullable: false),
                    domain_token = table.Column<byte[]>(type: "BLOB", nullable: true),
                    duns_token = table.Column<byte[]>(type: "BLOB", nullable: true),
                    name_token = table.Column<byte[]>(type: "BLOB", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_account_rows", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "partnerships",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    CreatedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    VendorOptedInAt = table.Column<long>(type: "INTEGER", nullable: true),
                    VendorOptedInBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    PartnerOptedInAt = table.Column<long>(type: "INTEGER", nullable: true),
                    PartnerOptedInBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    PausedByVendor = table.Column<bool>(type: "INTEGER", nullable: false),
                    PausedByPartner = table.Column<bool>(type: "INTEGER", nullable: false),
                    vendor_sharing = table.Column<string>(type: "TEXT", nullable: false),
                    partner_sharing = table.Column<string>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_partnerships", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_account_lists_Owner_Population",
                table: "account_lists",
                columns: new[] { "Owner", "Population" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_account_rows_list_id_id",
                table: "account_rows",
                columns: new[] { "list_id", "id" });

            migrationBuilder.CreateIndex(
                name: "IX_partnerships_PartnerId",
                table: "partnerships",
                column: "PartnerId",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "account_lists");

            migrationBuilder.DropTable(
                name: "account_mapping_state");

            migrationBuilder.DropTable(
                name: "account_rows");

            migrationBuilder.DropTable(
                name: "partnerships");
        }
    }
}
