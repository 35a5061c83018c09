using System.Text;
using CoSell.Application.AccountMapping;

namespace CoSell.Application.Tests.AccountMapping;

public sealed class AccountJsonReaderTests
{
    private static string Row(int i) => $"{{\"name\":\"Row {i} Inc\",\"domain\":\"row-{i}.com\",\"country\":\"US\"}}";

    private static async Task<(List<AccountRowInput> Rows, List<(int Line, string Reason)> Bad)> Read(byte[] json, int chunk)
    {
        var rows = new List<AccountRowInput>();
        var bad = new List<(int, string)>();
        await AccountJsonReader.ReadAsync(new TrickleStream(json, chunk), rows.Add, (l, r) => bad.Add((l, r)), CancellationToken.None);
        return (rows, bad);
    }

    private static Task<(List<AccountRowInput> Rows, List<(int Line, string Reason)> Bad)> Read(string json, int chunk) => Read(Encoding.UTF8.GetBytes(json), chunk);

    private static async Task<AccountListFormatException> Refused(string json, int chunk = 4096)
    {
        var read = () => Read(json, chunk);
        return (await read.Should().ThrowAsync<AccountListFormatException>()).Which;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    [InlineData(1 << 20)]
    public async Task AFieldOverTheLimit_MakesItsRowBad_AsInCsv_AndReadingGoesOnWithTheRestOfTheRowAndTheNextRows(int chunk)
    {
        // Quotes and backslashes escaped inside the long value must not end it early.
        var longName = string.Concat(Enumerable.Repeat("a\\\"b\\\\c", 3000));
        var json = $"[{Row(1)},\n{{\"name\":\"{longName}\",\"domain\":\"long.com\",\"country\":\"US\",\"private\":true}},{Row(3)}]";

        var (rows, bad) = await Read(json, chunk);

        bad.Should().Equal((2, AccountCsvReader.FieldTooLong));
        bad[0].Reason.Should().Be("a field is longer than 2048 characters");
        rows.Select(r => (r.Line, r.Name)).Should().Equal((1, "Row 1 Inc"), (3, "Row 3 Inc"));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task TheLimitIsOfCharacters_HoweverTheyAreWritten(int chunk)
    {
        // 2,048 characters fit, written plainly, as escapes (six bytes each) or in Chinese (three bytes each); one more does not.
        string[] fits = [new string('x', 2048), string.Concat(Enumerable.Repeat("\\u0041", 2048)), new string('中', 2048)];
        string[] over = [new string('x', 2049), string.Concat(Enumerable.Repeat("\\u0041", 2049)), new string('中', 2049)];
        var json = "[" + string.Join(',', fits.Concat(over).Select(d => $"{{\"name\":\"N\",\"domain\":\"{d}\",\"country\":\"US\"}}")) + "]";

        var (rows, bad) = await Read(json, chunk);

        rows.Select(r => r.Domain!.Length).Should().Equal(2048, 2048, 2048);
        rows[1].Domain.Should().Be(new string('A', 2048));
        bad.Should().Equal((4, AccountCsvReader.FieldTooLong), (5, AccountCsvReader.FieldTooLong), (6, AccountCsvReader.FieldTooLong));
    }

    [Fact]
    public void AHugeField_IsPassedOver_WithoutBeingHeld()
    {
        var body = Encoding.UTF8.GetBytes("[{\"name\":\"" + new string('x', 64 * 1024 * 1024) + "\",\"country\":\"US\"}," + Row(2) + "]");
        using var stream = new MemoryStream(body);
        var rows = new List<AccountRowInput>();
        var bad = new List<(int Line, string Reason)>();

        var before = GC.GetAllocatedBytesForCurrentThread();
        var reading = AccountJsonReader.ReadAsync(stream, rows.Add, (l, r) => bad.Add((l, r)), CancellationToken.None);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        reading.IsCompletedSuccessfully.Should().BeTrue("a memory stream is read without waiting, so all of it ran on this thread");
        bad.Should().Equal((1, AccountCsvReader.FieldTooLong));
        rows.Should().ContainSingle().Which.Name.Should().Be("Row 2 Inc");
        allocated.Should().BeLessThan(4 * 1024 * 1024, "the field held would take 128 MB as text");
    }

    [Theory]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task WhiteSpaceBetweenTokens_IsPassedOver_HoweverLong(int chunk)
    {
        var gap = new string(' ', 100_000);
        var json = $"[{Row(1)}{gap},{gap}{{\"name\"{gap}:{gap}\"Gap Inc\"{gap},{gap}\"country\"{gap}:\"DE\"{gap}}}{gap}]{gap}";

        var (rows, bad) = await Read(json, chunk);

        bad.Should().BeEmpty();
        rows.Should().Equal(new AccountRowInput(1, "Row 1 Inc", "row-1.com", "US", null, null), new AccountRowInput(2, "Gap Inc", null, "DE", null, null));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(4096)]
    [InlineData(1 << 20)]
    public async Task AFieldOverTheLimit_AfterLongWhiteSpace_MakesItsRowBad(int chunk)
    {
        // The white space is dropped while the reader waits for the next token; the long value that follows is then passed over
        // from where it starts in what is left, not where it would start had the white space been kept.
        var gap = string.Concat(Enumerable.Repeat("\t ", 10_000));
        var json = $"[{{\"name\":\"Gap Inc\",{gap}\"country\":\"US\",{gap}\"domain\":\"gap.com\"}},\n"
            + $"{{\"name\":\"Long Inc\",\"duns\":\"{new string('é', 13_000)}\",\"country\":\"US\"}},{Row(3)}]";

        var (rows, bad) = await Read(json, chunk);

        bad.Should().Equal((2, AccountCsvReader.FieldTooLong));
        rows.Select(r => (r.Line, r.Name)).Should().Equal((1, "Gap Inc"), (3, "Row 3 Inc"));
    }

    [Fact]
    public void WhiteSpaceAfterASeparator_IsNotHeld_HoweverLong()
    {
        // The JSON reader leaves a comma, and the white space after it, unread until the next token is whole.
        var gap = new string(' ', 16 * 1024 * 1024);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes($"[{Row(1)},{gap}{Row(2)}]"));
        var rows = new List<AccountRowInput>();

        var before = GC.GetAllocatedBytesForCurrentThread();
        var reading = AccountJsonReader.ReadAsync(stream, rows.Add, (_, _) => { }, CancellationToken.None);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        reading.IsCompletedSuccessfully.Should().BeTrue();
        rows.Select(r => r.Name).Should().Equal("Row 1 Inc", "Row 2 Inc");
        allocated.Should().BeLessThan(4 * 1024 * 1024, "the white space held would take 16 MB");
    }

    [Fact]
    public async Task AFieldNameOverTheLimit_IsRefusedAsNoFieldOfAnAccount()
    {
        var refused = await Refused($"[{Row(1)},{{\"{new string('n', 50_000)}\":\"x\"}}]");

        refused.Code.Should().Be("account_list.json_invalid");
        refused.Message.Should().StartWith("'$[1]' holds a field whose name is longer than any field of an account (row 2)");
    }

    [Theory]
    [InlineData("\"{0}\"", "(after row 1, at $[1])")]
    [InlineData("{{\"line\":1{0}}}", "(after row 1, at $[1].line)")]
    [InlineData("{{\"private\":\"{0}\"}}", "(after row 1, at $[1].private)")]
    public async Task AnElementOrANumberOverTheLimit_OrAnOverLongStringWhereNoneGoes_IsRefusedAsNotAList(string element, string where)
    {
        var refused = await Refused($"[{Row(1)},{string.Format(System.Globalization.CultureInfo.InvariantCulture, element, new string('1', 50_000))}]");

        refused.Code.Should().Be("account_list.json_invalid");
        refused.Message.Should().EndWith(where + ".");
    }

    [Fact]
    public async Task AnOverLongFieldThatIsNotUtf8_IsRefusedAsNotUtf8_NamingItsRow()
    {
        var json = Encoding.UTF8.GetBytes($"[{Row(1)},{{\"name\":\"{new string('x', 30_000)}M\u00FCller{new string('x', 30_000)}\",\"country\":\"DE\"}}]");
        var at = Array.IndexOf(json, (byte)0xC3);
        byte[] latin1 = [.. json[..at], 0xFC, .. json[(at + 2)..]];

        var read = () => Read(latin1, 4096);

        var refused = (await read.Should().ThrowAsync<AccountListFormatException>()).Which;
        refused.Code.Should().Be("account_list.encoding_invalid");
        refused.Message.Should().Contain("row 2");
    }

    [Fact]
    public async Task AnOverLongFieldNeverClosed_IsRefusedAsNotAList()
    {
        var refused = await Refused($"[{Row(1)},{{\"name\":\"{new string('x', 50_000)}");

        refused.Code.Should().Be("account_list.json_invalid");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4096)]
    public async Task FieldsAreNamedInAnyCase_AndALineReadBackIsTaken_AndLeftUnused(int chunk)
    {
        var (rows, bad) = await Read("\uFEFF [ {\"NAME\":\"Caps \\u0026 Co\",\"Country\":\"us\",\"duns\":null,\"private\":true,\"line\":7},{\"name\":\"Two\",\"country\":\"DE\",\"line\":\"9\",\"private\":null},{} ] \n", chunk);

        bad.Should().BeEmpty();
        rows.Should().Equal(
            new AccountRowInput(1, "Caps & Co", null, "us", null, "true"),
            new AccountRowInput(2, "Two", null, "DE", null, null),
            new AccountRowInput(3, null, null, null, null, null));
    }

    [Theory]
    [InlineData("[" + "{\"name\":\"A\",\"country\":\"US\"}" + "] x", "account_list.json_invalid")]
    [InlineData("[{\"name\":\"A\",\"country\":\"US\"},]", "account_list.json_invalid")]
    [InlineData("[{\"name\":\"A\",\"country\":\"US\"}", "account_list.json_invalid")]
    [InlineData("[{\"name\":{\"first\":\"A\"},\"country\":\"US\"}]", "account_list.json_invalid")]
    [InlineData("[{\"name\":[\"A\"],\"country\":\"US\"}]", "account_list.json_invalid")]
    [InlineData("[{\"name\":\"A\",\"private\":\"yes\"}]", "account_list.json_invalid")]
    [InlineData("[{\"name\":\"A\",\"line\":1.5}]", "account_list.json_invalid")]
    [InlineData("[{\"name\":\"\\ud800\"}]", "account_list.json_invalid")]
    [InlineData("[[]]", "account_list.json_invalid")]
    [InlineData("[\"A\"]", "account_list.json_invalid")]
    [InlineData("[/* */{\"name\":\"A\"}]", "account_list.json_invalid")]
    [InlineData("{\"name\":\"A\"}", "account_list.json_invalid")]
    [InlineData("null", "account_list.json_invalid")]
    [InlineData("  ", "account_list.empty")]
    public async Task WhatIsNotAnArrayOfAccounts_IsRefused(string json, string code)
    {
        (await Refused(json, 3)).Code.Should().Be(code);
        (await Refused(json)).Code.Should().Be(code);
    }

    private sealed class TrickleStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }
}
