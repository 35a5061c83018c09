using CoSell.Domain.Customers;
using CoSell.Domain.SeedWork;

namespace CoSell.Domain.Tests.Customers;

public sealed class ValueObjectTests
{
    [Theory]
    [InlineData("us", "US")]
    [InlineData("DE", "DE")]
    public void CountryCode_AcceptsAssignedCodesInAnyCase(string input, string expected) =>
        CountryCode.From(input).Value.Should().Be(expected);

    [Theory]
    [InlineData("ZZ")]
    [InlineData("USA")]
    [InlineData("u\u017F")] // a long s, which upper-cases to S
    [InlineData("")]
    [InlineData(null)]
    public void CountryCode_RefusesWhatIsNotAnIsoCode(string? input) =>
        FluentActions.Invoking(() => CountryCode.From(input)).Should().Throw<DomainValidationException>().Which.Code.Should().Be("country.unknown");

    [Theory]
    [InlineData(0, "USD", "money.out_of_range")]
    [InlineData(0.004, "USD", "money.out_of_range")]
    [InlineData(-1, "USD", "money.out_of_range")]
    [InlineData(100_000_000_001, "USD", "money.out_of_range")]
    [InlineData(10, "XXX", "money.unknown_currency")]
    [InlineData(10, "usd1", "money.unknown_currency")]
    [InlineData(10, "u\u017Fd", "money.unknown_currency")] // a long s, which upper-cases to S
    [InlineData(1000.5, "JPY", "money.fraction_invalid")] // a yen is not divided
    [InlineData(1.5, "krw", "money.fraction_invalid")]
    [InlineData(0.5, "JPY", "money.out_of_range")] // less than one yen
    [InlineData(1.234, "USD", "money.fraction_invalid")] // a cent is not divided: never rounded to 1.23
    [InlineData(999.995, "EUR", "money.fraction_invalid")] // nor to 1,000
    [InlineData(1.2345, "BHD", "money.fraction_invalid")] // a fils is not divided
    [InlineData(0.0005, "KWD", "money.out_of_range")]
    public void Money_RefusesAbsurdAmountsAndUnknownCurrencies(decimal amount, string currency, string code) =>
        FluentActions.Invoking(() => Money.Of(amount, currency)).Should().Throw<DomainValidationException>().Which.Code.Should().Be(code);

    [Fact]
    public void Money_InAWholeUnitCurrency_TakesWholeAmounts() => Money.Of(1000m, "JPY").Amount.Should().Be(1000m);

    [Fact]
    public void Money_IsEqualByValue() => Money.Of(10.00m, "eur").Should().Be(Money.Of(10m, "EUR"));

    [Theory]
    [InlineData("BHD")]
    [InlineData("iqd")]
    [InlineData("JOD")]
    [InlineData("KWD")]
    [InlineData("LYD")]
    [InlineData("OMR")]
    [InlineData("TND")]
    public void Money_InAThreeDecimalCurrency_TakesAmountsToTheThousandth(string currency)
    {
        Money.Of(1.234m, currency).Amount.Should().Be(1.234m);
        Money.Of(0.001m, currency).Amount.Should().Be(0.001m);
        Money.Decimals(currency).Should().Be(3);
        Money.SmallestAmount(currency).Should().Be(0.001m);
        FluentActions.Invoking(() => Money.Of(1.2345m, currency)).Should().Throw<DomainValidationException>()
            .Which.Message.Should().Be($"An amount in {currency.ToUpperInvariant()} has at most three decimals.");
    }

    [Theory]
    [InlineData("USD", 2, 0.01)]
    [InlineData("EUR", 2, 0.01)]
    [InlineData("GBP", 2, 0.01)]
    [InlineData("JPY", 0, 1)]
    [InlineData("KRW", 0, 1)]
    [InlineData("BHD", 3, 0.001)]
    public void Money_KnowsEachCurrencysMinorUnit(string currency, int decimals, decimal smallest)
    {
        Money.Decimals(currency).Should().Be(decimals);
        Money.SmallestAmount(currency).Should().Be(smallest);
        Money.Of(smallest, currency).Amount.Should().Be(smallest);
    }

    [Fact]
    public void Money_FinerThanItsCurrency_IsRefusedSayingHowManyDecimalsTheCurrencyTakes()
    {
        Refusal(() => Money.Of(1.234m, "usd")).Should().Be("An amount in USD has at most two decimals.");
        Refusal(() => Money.Of(1.2345m, "KWD")).Should().Be("An amount in KWD has at most three decimals.");
        Refusal(() => Money.Of(1000.5m, "JPY")).Should().Be("JPY has no minor unit: give a whole amount.");
        Refusal(() => Money.Of(0.0001m, "OMR")).Should().Be("An amount must be at least 0.001 and at most 100,000,000,000.");
        Refusal(() => Money.Of(0.5m, "JPY")).Should().Be("An amount must be at least 1 and at most 100,000,000,000.");
    }

    [Fact]
    public void Money_KeepsOneWrittenFormPerValue_InEveryCurrency()
    {
        Money.Of(1.230m, "BHD").Amount.ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be("1.23");
        Money.Of(1.2m, "BHD").Should().Be(Money.Of(1.200m, "BHD"));
        Money.Of(120000.00m, "USD").Amount.ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be("120000");
        Money.Of(1000.000m, "JPY").Amount.ToString(System.Globalization.CultureInfo.InvariantCulture).Should().Be("1000");
    }

    [Theory]
    [InlineData(1.234, "BHD", "1.234 BHD")]
    [InlineData(1.2, "BHD", "1.200 BHD")]
    [InlineData(120000, "KWD", "120000.000 KWD")]
    [InlineData(1234.5, "EUR", "1234.50 EUR")]
    [InlineData(120000, "USD", "120000.00 USD")]
    [InlineData(1000, "JPY", "1000 JPY")]
    public void Money_IsWrittenWithEveryDecimalOfItsCurrencysMinorUnit(decimal amount, string currency, string written) =>
        Money.Of(amount, currency).ToString().Should().Be(written);

    [Theory]
    [InlineData(1000, "USD", "1,000 USD")]
    [InlineData(999.5, "USD", "999.50 USD")]
    [InlineData(50000.25, "EUR", "50,000.25 EUR")]
    [InlineData(1000, "BHD", "1,000 BHD")]
    [InlineData(999.5, "BHD", "999.500 BHD")]
    [InlineData(1234.567, "kwd", "1,234.567 KWD")]
    [InlineData(1000000, "JPY", "1,000,000 JPY")]
    public void Money_InWords_IsWholeOrHasEveryDecimalOfTheCurrency(decimal amount, string currency, string words) =>
        Money.InWords(amount, currency).Should().Be(words);

    private static string Refusal(Action act) => FluentActions.Invoking(act).Should().Throw<DomainValidationException>().Which.Message;

    [Theory]
    [InlineData("https://www.Acme.com/about?x=1", "acme.com")]
    [InlineData("jane.doe@sales.acme.com", "sales.acme.com")]
    [InlineData("ACME.COM.", "acme.com")]
    // The ideographic, full-width and half-width full stops are dots, at the end of a name too.
    [InlineData("acme。com", "acme.com")]
    [InlineData("acme.com。", "acme.com")]
    [InlineData("acme．com．", "acme.com")]
    [InlineData("acme.com｡", "acme.com")]
    [InlineData("https://acme.com。/about", "acme.com")]
    [InlineData("jane@acme.com。", "acme.com")]
    [InlineData("bücher.de", "xn--bcher-kva.de")]
    [InlineData("\u044F\u043D\u0434\u0435\u043A\u0441.\u0440\u0444", "xn--d1acpjx3f.xn--p1ai")] // a Cyrillic name no Latin one passes for
    [InlineData("\u044F\u043D\u0434\u0435\u043A\u0441.\u0440\u0443\u0441", "xn--d1acpjx3f.xn--p1acf")] // under .рус, a suffix of look-alike letters no company chose
    [InlineData("mailto:jane.doe@acme.com?subject=Hello", "acme.com")]
    [InlineData("https://jane:secret@www.acme.com:8443/x", "acme.com")]
    [InlineData("https://www.acme.com/contact?email=sales@globex.com", "acme.com")]
    [InlineData("https://acme.com/@globex.io", "acme.com")]
    [InlineData("https://acme.com/#@globex.io", "acme.com")]
    [InlineData("acme.com/team/@globex.io", "acme.com")]
    [InlineData("www.acme.com/next?to=https://globex.io", "acme.com")]
    [InlineData("a/b@acme.com", "acme.com")]
    [InlineData("sales#1@acme.com", "acme.com")]
    [InlineData("info?x@acme.com", "acme.com")]
    public void WebDomain_TakesTheHostFromDomainsUrlsAndEmailAddresses(string input, string host) =>
        WebDomain.From(input).Host.Should().Be(host);

    [Theory]
    [InlineData("192.168.1.1")]
    [InlineData("http://[::1]/")]
    [InlineData("localhost")]
    [InlineData("not a domain")]
    [InlineData("")]
    // A label whose letters of another script pass for Latin ones, in Unicode or its xn-- form (before, taken as another
    // domain than the one it shows, it dodged the match on acme.com).
    [InlineData("https://www.\u0430cme.com")]
    [InlineData("xn--cme-5cd.com")]
    [InlineData("sales@micros\u043Eft.com")]
    [InlineData("\u0441\u043E\u0441\u043E.com")]
    [InlineData("acme.\u0441om")] // a last label no public suffix names, in look-alike letters ("сom", with a Cyrillic с)
    [InlineData("acme.\u0441\u043E")]
    public void WebDomain_RefusesWhatIsNotACompanyDomain(string input) =>
        FluentActions.Invoking(() => WebDomain.From(input)).Should().Throw<DomainValidationException>().Which.Code.Should().Be("customer.domain_invalid");

    [Theory]
    [InlineData("12-345-6789", "123456789")]
    [InlineData("123 456 789", "123456789")]
    public void Duns_IsNineDigits(string input, string expected) => Duns.From(input).Value.Should().Be(expected);

    [Theory]
    [InlineData("12345678")]
    [InlineData("1234567890")]
    [InlineData("12345678a")]
    public void Duns_RefusesAnythingButNineDigits(string input) =>
        FluentActions.Invoking(() => Duns.From(input)).Should().Throw<DomainValidationException>();

    [Theory]
    [InlineData("000000000")]
    [InlineData("00-000-0000")]
    [InlineData("999999999")]
    public void Duns_RefusesAPlaceholder_ButAStoredOneStillReads(string input)
    {
        FluentActions.Invoking(() => Duns.From(input)).Should().Throw<DomainValidationException>()
            .Which.Message.Should().Contain("placeholder");
        Duns.Stored(input).Value.Should().HaveLength(9);
    }

    [Fact]
    public void CompanyName_FoldsLineBreaksAndTabsIntoSingleSpaces() =>
        CompanyName.From("  Acme\t\r\n Corp \n").Value.Should().Be("Acme Corp");

    [Theory]
    [InlineData("Acme\u0000Corp")]
    [InlineData("Acme\u001b[2J")]
    public void CompanyName_RefusesOtherControlCharacters(string input) =>
        FluentActions.Invoking(() => CompanyName.From(input)).Should().Throw<DomainValidationException>();

    [Theory]
    [InlineData("A")]
    [InlineData("  ")]
    [InlineData("--")]
    public void CompanyName_NeedsTwoCharactersAndALetterOrDigit(string input) =>
        FluentActions.Invoking(() => CompanyName.From(input)).Should().Throw<DomainValidationException>();

    // Before, letters beyond the Basic Multilingual Plane were no letters: each is two UTF-16 units, neither a letter.
    [Theory]
    [InlineData("\U0001E900\U0001E923\U0001E924\U0001E922\U0001E925 \U0001E905\U0001E92B\U0001E932\U0001E93A\U0001E922\U0001E924")] // Adlam
    [InlineData("\U000104CF\U000104D8\U000104FB")] // Osage
    [InlineData("\U00020BB7\U00020BB7")] // CJK Extension B
    [InlineData("\U0001D400\U0001D41C\U0001D426\U0001D41E")] // mathematical bold Acme
    public void CompanyName_WrittenInLettersBeyondTheBasicPlane_IsAName(string name) =>
        CompanyName.From(name).Value.Should().Be(name);

    [Theory]
    [InlineData("\U00020BB7")]
    [InlineData("\U0001E900")]
    [InlineData("\u4E2D")]
    public void CompanyName_OfOneCharacter_IsTooShort_HoweverManyUtf16UnitsItTakes(string name) =>
        FluentActions.Invoking(() => CompanyName.From(name)).Should().Throw<DomainValidationException>().Which.Code.Should().Be("customer.name_too_short");

    [Fact]
    public void CompanyName_RefusesTenThousandCharacters() =>
        FluentActions.Invoking(() => CompanyName.From(new string('a', 10_000))).Should().Throw<DomainValidationException>().Which.Code.Should().Be("customer.name_too_long");

    [Fact]
    public void CompanyName_IsNotCutWhereItsMaximumFallsOnASpace() =>
        FluentActions.Invoking(() => CompanyName.From(new string('a', CompanyName.MaximumLength) + " and the rest")).Should().Throw<DomainValidationException>()
            .Which.Code.Should().Be("customer.name_too_long", "a name is not cut where its maximum falls on a space");
}
