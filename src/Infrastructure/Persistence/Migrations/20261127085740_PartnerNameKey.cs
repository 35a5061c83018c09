using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CoSell.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PartnerNameKey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "NameKey",
                table: "partners",
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            // The service writes the key with every letter's case folded; SQLite's upper() folds ASCII letters only, which
            // is what NOCASE kept the stored names unique in, so the index below holds. A name with other letters keeps
            // this key until it is renamed; the service also compares names with every letter folded before it writes one.
            migrationBuilder.Sql("""UPDATE "partners" SET "NameKey" = upper("Name");""");

            migrationBuilder.CreateIndex(
                name: "IX_partners_NameKey",
                table: "partners",
                column: "NameKey",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_partners_NameKey",
                table: "partners");

            migrationBuilder.DropColumn(
                name: "NameKey",
                table: "partners");
        }
    }
}
