using System.Globalization;
using CoSell.Domain.AccountMapping;
using CoSell.Domain.Customers;
using CoSell.Domain.SeedWork;
using CoSell.Domain.Tests.Registrations;

namespace CoSell.Domain.Tests;

/// <summary>What the domain writes into its timeline and its messages reads the same whatever the host's locale.</summary>
public sealed class InvariantTextTests
{
    [Fact]
    public void AnAmount_ReadsWithAPointAndNoGrouping_OnAGermanHost() =>
        Under("de-DE", () => Money.Of(1234.5m, "EUR").ToString()).Should().Be("1234.50 EUR");

    [Fact]
    public void AnAmountInAThreeDecimalCurrency_ReadsWithItsThreeDecimals_OnAGermanOrArabicHost()
    {
        Under("de-DE", () => Money.Of(1234.5m, "BHD").ToString()).Should().Be("1234.500 BHD");
        Under("ar-BH", () => Money.InWords(1234.567m, "BHD")).Should().Be("1,234.567 BHD");
    }

    [Fact]
    public void ADraftsTimelineLine_NamesItsValueAlike_OnAGermanHost()
    {
        var line = Under("de-DE", () => new RegistrationBuilder().Worth(1234.5m, "EUR").Draft().DomainEvents.Single().Summary);

        line.Should().Contain("worth 1234.50 EUR").And.Be(Under("en-US", () => new RegistrationBuilder().Worth(1234.5m, "EUR").Draft().DomainEvents.Single().Summary));
    }

    [Theory]
    [InlineData("de-DE")]
    [InlineData("fr-FR")]
    public void AnAmountOutOfRange_IsExplainedAlike(string culture) =>
        Under(culture, () => Refusal(() => Money.Of(0m, "EUR"))).Should().Be("An amount must be at least 0.01 and at most 100,000,000,000.");

    [Theory]
    [InlineData("de-DE")]
    [InlineData("fr-FR")]
    public void AnUploadWithTooManyBadRows_IsExplainedAlike(string culture)
    {
        var list = AccountList.Open(Guid.NewGuid(), AccountList.VendorOwner, AccountPopulation.Customers);

        Under(culture, () => Refusal(() => list.Replace(new UploadSummary(200, 150, 0, [new RowProblem(5, "x")], 50), UploadPolicy.Default, "m1", RegistrationBuilder.Now)))
            .Should().Be(Under("en-US", () => Refusal(() => list.Replace(new UploadSummary(200, 150, 0, [new RowProblem(5, "x")], 50), UploadPolicy.Default, "m1", RegistrationBuilder.Now))))
            .And.Contain("the 1.0 % allowed");
    }

    private static string Refusal(Action act)
    {
        try
        {
            act();
        }
        catch (DomainException refused)
        {
            return refused.Message;
        }

        throw new InvalidOperationException("Nothing was refused.");
    }

    private static string Under(string culture, Func<string> read)
    {
        var (before, beforeUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo(culture);
            return read();
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (before, beforeUi);
        }
    }
}
