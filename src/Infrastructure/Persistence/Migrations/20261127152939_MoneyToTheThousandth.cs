using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CoSell.Infrastructure.Persistence.Migrations
{
    /// <summary>
    /// Amounts are held to the thousandth, the minor unit of BHD, KWD and the other three-decimal currencies (ADR 0022).
    /// SQLite keeps a decimal as the text of its value, whatever scale the model gives it, so no stored amount and no
    /// column changes: the migration records the model's new scale.
    /// </summary>
    public partial class MoneyToTheThousandth : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
        }
    }
}
