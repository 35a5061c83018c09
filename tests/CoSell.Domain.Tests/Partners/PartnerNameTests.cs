using CoSell.Domain.Partners;
using CoSell.Domain.SeedWork;

namespace CoSell.Domain.Tests.Partners;

public sealed class PartnerNameTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("Fold\u00A0\u00A0 Partner", "Fold Partner")]
    [InlineData("  Y   Co\t", "Y Co")]
    public void APartnersName_FoldsWhiteSpaceAsACompanyNameDoes(string written, string stored)
    {
        var partner = Partner.Create(Guid.NewGuid(), written, PartnerTier.Gold, ["US"], null, "admin", Now);

        partner.Name.Should().Be(stored);
        partner.Update(written + " ", null, null, null, null, "admin", Now);
        partner.Name.Should().Be(stored, "an update folds it the same way, so it is no change");
    }

    [Theory]
    [InlineData("Line\u2028Break Ltd")]
    [InlineData("Line\nBreak Ltd")]
    public void AName_BrokenOverLines_IsRefused_NotFolded(string name) =>
        FluentActions.Invoking(() => Partner.Create(Guid.NewGuid(), name, PartnerTier.Gold, ["US"], null, "admin", Now))
            .Should().Throw<DomainValidationException>().Which.Code.Should().Be("partner.name_invalid");

    [Fact]
    public void AName_ThatFoldsToFewerThanTwoCharacters_IsRefused() =>
        FluentActions.Invoking(() => Partner.Create(Guid.NewGuid(), "\u00A0X\u00A0", PartnerTier.Gold, ["US"], null, "admin", Now))
            .Should().Throw<DomainValidationException>().Which.Code.Should().Be("partner.name_invalid");

    [Fact]
    public void AnOverlongName_IsRefused_EvenWhereItsMaximumFallsOnASpace() =>
        FluentActions.Invoking(() => Partner.Create(Guid.NewGuid(), new string('p', Partner.MaximumNameLength) + " extra words", PartnerTier.Gold, ["US"], null, "admin", Now))
            .Should().Throw<DomainValidationException>().Which.Code.Should().Be("partner.name_invalid");

    [Fact]
    public void ANameOfTheMaximumLength_WithTrailingSpaces_IsTaken() =>
        Partner.Create(Guid.NewGuid(), new string('p', Partner.MaximumNameLength) + "   ", PartnerTier.Gold, ["US"], null, "admin", Now)
            .Name.Should().HaveLength(Partner.MaximumNameLength);
}
