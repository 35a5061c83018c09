using System.Text;
using CoSell.Application.AccountMapping;

namespace CoSell.Application.Tests.AccountMapping;

/// <summary>A file that is not UTF-8 is refused naming the line the first bad byte is on, however the body arrives.</summary>
public sealed class AccountCsvReaderEncodingTests
{
    private static async Task<string> Refusal(byte[] bytes, int chunk)
    {
        var act = () => AccountCsvReader.ReadAsync(new TrickleStream(bytes, chunk), _ => { }, (_, _) => { }, CancellationToken.None);
        var refused = (await act.Should().ThrowAsync<AccountListFormatException>()).Which;
        refused.Code.Should().Be("account_list.encoding_invalid");
        return refused.Message;
    }

    [Fact]
    public async Task ABadByte_IsReportedOnItsLine_WhereverTheReadsCut()
    {
        // Good multi-byte characters before it, cut by the reads, must not move the count; nor a quoted line break.
        var inTheMiddle = Encoding.UTF8.GetBytes("name,country\r\nZürich AG,CH\r\n\"Ölwerk\r\nNord\",DE\r\nM").Concat(new byte[] { 0xFC }).Concat(Encoding.UTF8.GetBytes("ller,DE\r\n")).ToArray();
        var cutOffAtTheEnd = Encoding.UTF8.GetBytes("name,country\nA,US\nB,").Concat(new byte[] { 0xC3 }).ToArray();

        foreach (var chunk in new[] { 1, 2, 3, 7, 1 << 20 })
        {
            (await Refusal(inTheMiddle, chunk)).Should().Contain("(line 5)", $"reads of {chunk} bytes");
            (await Refusal(cutOffAtTheEnd, chunk)).Should().Contain("(line 3)", $"reads of {chunk} bytes");
        }
    }

    /// <summary>Hands out a few bytes per read, so characters straddle reads.</summary>
    private sealed class TrickleStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(chunk, buffer.Length)], cancellationToken);
    }
}
