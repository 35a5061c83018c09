using CoSell.Domain.Conflicts;

namespace CoSell.Domain.Tests.Conflicts;

public sealed class EvidenceLinksTests
{
    [Theory]
    [InlineData("https://example.org/minutes")]
    [InlineData("http://crm.example.co.uk/opportunity/42?tab=notes#latest")]
    [InlineData("https://例え.jp/資料")]
    [InlineData("https://яндекс.рф/")] // a Cyrillic host that passes for nothing Latin
    [InlineData("https://example.com:8443/x")]
    [InlineData("https://example.com./x")] // a fully qualified name, still a domain name
    [InlineData("https://0x7f.example.com/")] // a number that is not the last label leaves a domain name
    [InlineData("https://web2.example/")]
    [InlineData("https://example.org/%E2%80%AEfdp.exe")] // escaped, the control is text in the path, shown as written
    [InlineData("https://xn--r8jz45g.jp/")] // 例え.jp in its ASCII form
    [InlineData("https://xn--d1acpjx3f.xn--p1ai/")] // яндекс.рф in its ASCII form
    [InlineData("https://acme.\u0440\u0443\u0441/news")] // under .рус, a public suffix no one chose (before, refused for its letters)
    [InlineData("https://acme.\u0440\u0443\u0441./news")] // the same, fully qualified
    public void ALinkThatGoesWhereItReads_IsTaken(string link) =>
        EvidenceLinks.IsValid(link).Should().BeTrue();

    [Theory]
    [InlineData("https://example.com/\u202Efdp.exe")] // shows as …/exe.pdf
    [InlineData("https://exa\u202Emple.com/")]
    [InlineData("https://exa\u200Bmple.com/")]
    [InlineData("https://example.com/\U000E0041")]
    [InlineData("https://аррӏе.com/")] // Cyrillic letters that read as apple.com
    [InlineData("https://xn--80ak6aa92e.com/")] // the same host in its ASCII form
    [InlineData("https://xn--pple-43d.com/")] // аpple.com, a Cyrillic а among Latin letters, in its ASCII form
    [InlineData("https://MICROSOF\u0422.COM/")] // a Cyrillic Т, which Uri writes small (т): no small look-alike of T
    [InlineData("https://xn--microsof-vch.com/")] // microsofт.com in its ASCII form
    [InlineData("https://\u0391\u03A1\u03A1L\u0395.com/")] // Greek capitals around a Latin L, written small by Uri
    [InlineData("https://micro\u043Coft.com/")] // a Cyrillic м among Latin letters, though it passes for no Latin one
    [InlineData("https://XN--PPLE-43D.com/")]
    [InlineData("https://xn--zz.com/")] // an ASCII form that decodes to nothing
    [InlineData("https://xn--.com/")]
    [InlineData("https://1\uFE0F.example.com/")] // a selector, which a link never needs
    [InlineData("https://\uFF41\u0440\u0440le.com/")] // a full-width a and Cyrillic letters that read as apple.com
    [InlineData("https://example.com\u2024evil.example/")] // a one-dot leader Uri takes but cannot write in ASCII
    [InlineData("https://example.com\uFE52evil.example/")]
    [InlineData("http:\\\\example.com\u3002evil.example/")] // backslashes for slashes do not hide the ideographic full stop
    [InlineData("https://example.com\u3002elsewhere.example/")] // an ideographic full stop is a dot to a browser
    [InlineData("https://example.com/a\u3164b")] // a Hangul filler shows nothing
    [InlineData("https://example.com/a\u034Fb")]
    [InlineData("https://example.com/a\uFE0Fb")]
    [InlineData("https://example.com/a\nb")]
    [InlineData("https://example.com/a\u2028b")]
    [InlineData(" https://example.com")]
    [InlineData("https://example.com/a b")]
    [InlineData("https://trusted.example@elsewhere.example/")]
    [InlineData("https://user:pass@evil.com/")]
    [InlineData("https://127.0.0.1/x")]
    [InlineData("https://127.0.0.1./x")] // a browser drops the trailing dot: 127.0.0.1
    [InlineData("https://169.254.169.254./latest/meta-data")]
    [InlineData("https://127.1./")] // 127.0.0.1
    [InlineData("https://1.1./")] // 1.0.0.1
    [InlineData("https://0./")] // 0.0.0.0
    [InlineData("https://example.0x7f/")] // a last label in hex is a number too
    [InlineData("https://example.0X/")]
    [InlineData("https://example.123/")]
    [InlineData("http://[::1]/")]
    [InlineData("http://localhost/admin")]
    [InlineData("javascript:alert(1)")]
    [InlineData("ftp://files.example.org/x")]
    [InlineData("/relative/path")]
    [InlineData("")]
    public void ALinkThatCouldMisleadItsReader_IsRefused(string link) =>
        EvidenceLinks.IsValid(link).Should().BeFalse();

    [Fact]
    public void ALinkWithABrokenSurrogate_IsRefused() =>
        EvidenceLinks.IsValid("https://example.com/" + '\uD800').Should().BeFalse();

    [Fact]
    public void ALinkOverTheLimit_IsRefused() =>
        EvidenceLinks.IsValid("https://example.org/" + new string('a', EvidenceLinks.MaximumLength)).Should().BeFalse();
}
