using System.Text;
using CoSell.Application.AccountMapping;

namespace CoSell.Application.Tests.AccountMapping;

public sealed class AccountCsvReaderTests
{
    private static async Task<(List<AccountRowInput> Rows, List<(int Line, string Reason)> Bad)> Read(string csv, int chunk = 7)
    {
        var rows = new List<AccountRowInput>();
        var bad = new List<(int, string)>();
        await AccountCsvReader.ReadAsync(new TrickleStream(Encoding.UTF8.GetBytes(csv), chunk), rows.Add, (l, r) => bad.Add((l, r)), CancellationToken.None);
        return (rows, bad);
    }

    [Fact]
    public async Task ReadsQuotedCommasQuotesAndNewlines_WithTheLineEachRowStartsOn_InAnyColumnOrder()
    {
        var (rows, bad) = await Read("\uFEFFCountry,Name,domain\r\nUS,\"Acme, Inc.\",acme.com\r\n\r\nDE,\"Zwei\r\nZeilen \"\"GmbH\"\"\",zwei.de\nFR,Trois,\n");

        bad.Should().BeEmpty();
        rows.Should().Equal(
            new AccountRowInput(2, "Acme, Inc.", "acme.com", "US", null, null),
            new AccountRowInput(4, "Zwei\nZeilen \"GmbH\"", "zwei.de", "DE", null, null),
            new AccountRowInput(6, "Trois", "", "FR", null, null));
    }

    [Fact]
    public async Task RowsThatAreNotCsv_AreReportedByLine_AndReadingGoesOn()
    {
        var (rows, bad) = await Read("name,country\nA,US,extra\n\"B\"x,US\nC,US\n\"D,US\n");

        rows.Should().ContainSingle().Which.Name.Should().Be("C");
        bad.Select(b => b.Line).Should().Equal(2, 3, 5);
        bad[0].Reason.Should().Contain("expected 2 fields");
        bad[2].Reason.Should().Contain("not closed");
    }

    [Fact]
    public void ARowOfCountlessEmptyFields_IsOneBadRow_ReadWithoutHoldingItsFields()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("name,country\nA," + new string(',', 2_000_000) + "\nB,US\n"));
        var rows = new List<AccountRowInput>();
        var bad = new List<(int Line, string Reason)>();

        var before = GC.GetAllocatedBytesForCurrentThread();
        var reading = AccountCsvReader.ReadAsync(stream, rows.Add, (l, r) => bad.Add((l, r)), CancellationToken.None);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        reading.IsCompletedSuccessfully.Should().BeTrue("a memory stream is read without waiting, so all of it ran on this thread");
        bad.Should().ContainSingle().Which.Reason.Should().Be("expected 2 fields as in the header, found 2000002");
        rows.Should().ContainSingle().Which.Name.Should().Be("B");
        allocated.Should().BeLessThan(4 * 1024 * 1024, "two million fields held would take 16 MB of references alone");
    }

    // Before, a stray quote read every later line into its field and the file counted one bad row: with the lines after it
    // silently gone, the list was stored short, whatever the share of bad rows allowed.
    [Theory]
    [InlineData("name,country\nA,US\n\"Stray,US\nC,US\nD,US\nE,US\n", "a quoted field is not closed before the end of the file", 6)]
    [InlineData("name,country\nA,US\n\"Stray,US\nC,US\nD,US\n\"E\",US\nF,US\n", "text follows a closing quote", 6)]
    public async Task AStrayQuote_CountsEachLineItReadIn_AsABadRow(string csv, string reason, int lastLine)
    {
        var (rows, bad) = await Read(csv);

        rows.Select(r => r.Name).Should().Equal(csv.EndsWith("F,US\n", StringComparison.Ordinal) ? ["A", "F"] : ["A"]);
        bad[0].Should().Be((3, bad[0].Reason));
        bad[0].Reason.Should().StartWith(reason);
        bad.Skip(1).Select(b => b.Line).Should().Equal(Enumerable.Range(4, lastLine - 3));
        bad.Skip(1).Should().OnlyContain(b => b.Reason == "read into a quoted field of the row on line 3");
    }

    [Fact]
    public async Task OnlyLinesThatHoldText_CountAsBadRows_ThoughTheStrayQuoteIsClosedByALaterOne()
    {
        var (_, closedLater) = await Read("name,country\n\"Acme,US\nB,US\nC 27\"\nD,US\n");
        var (_, blankLines) = await Read("name,country\n\"Stray,US\n\n\n\n\nC,US\n");

        closedLater.Select(b => b.Line).Should().Equal([2, 3, 4], "the quote a later row wrote closed the stray one, leaving a row of one field over three lines");
        closedLater[0].Reason.Should().StartWith("a quoted field runs over several lines holding commas", "what the row needs fixed is the stray quote, not its count of fields");
        blankLines.Select(b => b.Line).Should().Equal([2, 7], "a blank line is no row, inside a stray quote's reach or out of it");
    }

    [Fact]
    public async Task AQuotedFieldOverManyLines_StillReadsAsOneRow_AndAFieldTooLongInAStrayQuote_IsNamedByTheQuote()
    {
        var (rows, bad) = await Read("name,country\n\"Zwei\nZeilen\",DE\nB,US\n");
        var (_, stray) = await Read("name,country\n\"Stray,US\n" + string.Concat(Enumerable.Repeat("Row,US\n", 500)));

        bad.Should().BeEmpty();
        rows.Select(r => r.Line).Should().Equal(2, 4);
        stray[0].Reason.Should().Be("a quoted field is not closed before the end of the file", "not that the field grew over 2,048 characters");
        stray.Should().HaveCount(501);
    }

    // Before, a stray quote that a later row's quote closed just before a comma left a row of the right number of fields:
    // it was stored as one account named after the rows it took ("Acme Corp,US Globex Intl,US Initech Systems"), and
    // those rows were gone without a bad row counted.
    [Fact]
    public async Task AStrayQuoteClosedBeforeAComma_IsABadRow_AndEachLineItTookIsCounted()
    {
        var (rows, bad) = await Read("name,country\nA,US\n\"Acme Corp,US\nGlobex Intl,US\nInitech Systems\",US\nUmbrella Group,US\n");

        rows.Select(r => r.Name).Should().Equal("A", "Umbrella Group");
        bad.Select(b => b.Line).Should().Equal(3, 4, 5);
        bad[0].Reason.Should().StartWith("a quoted field runs over several lines holding commas");
        bad.Skip(1).Should().OnlyContain(b => b.Reason == "read into a quoted field of the row on line 3");
    }

    // Before, a name written over lines without commas, in a row of too few fields (or text after its quote), counted each
    // of its lines as a bad row of its own, though lines without a comma were never rows.
    [Theory]
    [InlineData("name,domain,country\nA,a.com,US\n\"Acme\nCorp\nHoldings\",US\nB,b.com,US\n")]
    [InlineData("name,domain,country\nA,a.com,US\n\"Acme\nCorp\nHoldings\"x,,US\nB,b.com,US\n")]
    public async Task ANameOverLinesWithoutCommas_InABadRow_IsOneBadRow(string csv)
    {
        var (rows, bad) = await Read(csv);

        rows.Select(r => r.Name).Should().Equal("A", "B");
        bad.Should().ContainSingle().Which.Line.Should().Be(3);
    }

    [Fact]
    public async Task ANameOverLinesWithoutCommas_InARowWithAnotherFieldTooLong_IsOneBadRow()
    {
        var (rows, bad) = await Read($"name,domain,country\nA,a.com,US\n\"Acme\nCorp\nHoldings\",{new string('a', 3_000)}.com,GB\nB,b.com,US\n");

        rows.Select(r => r.Name).Should().Equal("A", "B");
        bad.Should().ContainSingle().Which.Should().Be((3, AccountCsvReader.FieldTooLong));
    }

    [Theory]
    [InlineData("name;country\nA;US\n", "account_list.delimiter_invalid")]
    [InlineData("\"name\";\"domain\";\"country\"\n\"Acme\";\"acme.com\";\"US\"\n", "account_list.delimiter_invalid")]
    [InlineData("\"name\"\t\"country\"\n\"Acme\"\t\"US\"\n", "account_list.delimiter_invalid")]
    [InlineData("Acme,US\n", "account_list.header_invalid")]
    [InlineData("name,name,country\n", "account_list.header_invalid")]
    [InlineData("name,country,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,\n", "account_list.header_invalid")]
    [InlineData("\n\n", "account_list.empty")]
    public async Task AWrongHeaderOrDelimiter_RefusesTheFile(string csv, string code) =>
        (await FluentActions.Awaiting(() => Read(csv)).Should().ThrowAsync<AccountListFormatException>()).Which.Code.Should().Be(code);

    [Fact]
    public async Task InvalidUtf8_RefusesTheFile()
    {
        var bytes = Encoding.UTF8.GetBytes("name,country\nA").Concat(new byte[] { 0xFF, 0xFE }).Concat(Encoding.UTF8.GetBytes(",US\n")).ToArray();
        var act = () => AccountCsvReader.ReadAsync(new MemoryStream(bytes), _ => { }, (_, _) => { }, CancellationToken.None);
        (await act.Should().ThrowAsync<AccountListFormatException>()).Which.Code.Should().Be("account_list.encoding_invalid");
    }

    /// <summary>Hands out a few bytes per read, so records and multi-byte characters straddle reads.</summary>
    private sealed class TrickleStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }
}
