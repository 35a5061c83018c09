using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CoSell.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class UserSubject : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Subject",
                table: "users",
                type: "TEXT",
                maxLength: 255,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Subject",
                table: "users");
        }
    }
}
