using CoSell.Web.Identity;

namespace CoSell.Web.Tests;

/// <summary>What a log line may carry of a request: no query token, however its name is written, and no control character.</summary>
public sealed class LoggedTextTests
{
    [Theory]
    [InlineData("?negotiateVersion=1&access_token=eyJ.a.b", "?negotiateVersion=1&access_token=[redacted]")]
    [InlineData("?access_token=eyJ.a.b&id=7", "?access_token=[redacted]&id=7")]
    [InlineData("http://h/hubs/cosell?id=7&ACCESS_TOKEN=eyJ.a.b", "http://h/hubs/cosell?id=7&ACCESS_TOKEN=[redacted]")]
    [InlineData("?access%5Ftoken=eyJ.a.b", "?access%5Ftoken=[redacted]")]
    [InlineData("?%61ccess_token=eyJ.a.b&access_token=eyJ.c.d", "?%61ccess_token=[redacted]&access_token=[redacted]")]
    [InlineData("/x\r\n[19:40:00 ERR] forged\u001b[2K", "/x\\u000d\\u000a[19:40:00 ERR] forged\\u001b[2K")]
    public void AValueALogLineWouldCarry_IsWrittenWithoutItsTokenOrControlCharacters(string text, string written) =>
        LoggedText.Safe(text).Should().Be(written);

    [Theory]
    [InlineData("/api/v1/registrations")]
    [InlineData("?access_token")]
    [InlineData("?my_access_token_count=3")]
    [InlineData("a=b&c=d")]
    public void AValueWithNeither_IsWrittenAsItIs(string text) =>
        LoggedText.Safe(text).Should().BeNull();
}
