using CoSell.Domain.Customers;
using CoSell.Domain.SeedWork;

namespace CoSell.Domain.Tests.Customers;

/// <summary>A contact's e-mail address is what the other side reads once it accepts: it must be the address it shows.</summary>
public sealed class CustomerContactTests
{
    [Theory]
    [InlineData("dana.buyer@contoso.com")]
    [InlineData("anna@müller.de")]
    [InlineData("иван@яндекс.рф")] // a Cyrillic domain that passes for nothing Latin
    [InlineData("lee@xn--mller-kva.de")] // müller.de in its ASCII form
    [InlineData("jane@www.com")] // a host named www
    [InlineData("ivan@\u0441\u0430\u0439\u0442.\u0440\u0443\u0441")] // under .рус, a public suffix in letters that look Latin (before, refused for it)
    public void AnAddressThatIsWhatItShows_IsTaken(string email) =>
        CustomerContact.Create("Dana Buyer", email, null).Email.Should().Be(email);

    [Theory]
    [InlineData("jane\u202E@apple.com")] // a direction override
    [InlineData("a\u200B@b.com")] // a zero-width space
    [InlineData("a@b\u200B.com")]
    [InlineData("a@b.com\u202E")]
    [InlineData("a@b.com\U000E0041")] // a tag character
    [InlineData("a\u00AD@b.com")] // a soft hyphen
    [InlineData("jane@\u0430pple.com")] // a Cyrillic а among Latin letters
    [InlineData("jane@xn--pple-43d.com")] // the same domain in its ASCII form
    [InlineData("lena@\u03B1\u03C1\u03C1l\u03B5.com")] // Greek small letters around a Latin l: αρρlε
    [InlineData("lena@microsof\u0442.com")] // a small Cyrillic т among Latin letters
    [InlineData("jane@xn--zz.com")] // an ASCII form that decodes to nothing
    [InlineData("jane@apple.\u0441om")] // a last label no public suffix names, in look-alike letters
    [InlineData("jane@www.\u0430\u0440\u0440\u04CF\u0435.ck")] // a label a wildcard rule (*.ck) stands for is anyone's pick
    [InlineData("ja\u034Fne@apple.com")] // letters and marks that show nothing
    [InlineData("jane@apple\u3164.com")]
    [InlineData("jane\u2800@apple.com")]
    [InlineData("jane@n\u1C82rthwind.com")] // a narrow Cyrillic o among Latin letters
    [InlineData("jane@apple.com\u3002evil.example")] // an ideographic full stop, a dot to a mail client
    [InlineData("jane1\uFE0F@b.com")] // a selector, which an address never needs
    [InlineData("jane@1\u180B.com")]
    [InlineData("jane@localhost")]
    [InlineData("jane@[127.0.0.1]")] // an IP literal, no company's domain
    [InlineData("jane@apple.com/x")] // a mail client's link would stop at the slash
    [InlineData("jane@apple.com?x")]
    [InlineData("jane@evil.com#apple.com")]
    [InlineData("jane@-apple.com")] // a label at a hyphen's edge
    [InlineData("jane@apple_store.com")] // an underscore, in no host name
    [InlineData("jane@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com")] // a label of 64
    [InlineData("not an address")]
    public void AnAddressThatCouldMisleadItsReader_IsRefused(string email) =>
        FluentActions.Invoking(() => CustomerContact.Create("Jane Roe", email, null)).Should().Throw<DomainValidationException>()
            .Which.Code.Should().Be("contact.email_invalid");

    [Theory]
    [InlineData("jane@apple.com\u200B", "'jane@apple.com\\u200B' is not an e-mail address.")]
    [InlineData("jane\u0000@apple.com", "'jane\\u0000@apple.com' is not an e-mail address.")]
    [InlineData("jane@apple\u2028.com", "'jane@apple\\u2028.com' is not an e-mail address.")]
    public void ARefusedAddress_IsSaidBackWithWhatShowsNothingWrittenOut_NotAsAGoodOneReads(string email, string message) =>
        FluentActions.Invoking(() => CustomerContact.Create("Jane Roe", email, null)).Should().Throw<DomainValidationException>()
            .Which.Message.Should().Be(message);
}
