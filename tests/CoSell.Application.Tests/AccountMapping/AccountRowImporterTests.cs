using CoSell.Application.AccountMapping;
using CoSell.Domain.AccountMapping;
using CoSell.Domain.Customers.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace CoSell.Application.Tests.AccountMapping;

public sealed class AccountRowImporterTests : IClassFixture<Harness>
{
    private readonly Harness _harness;

    public AccountRowImporterTests(Harness harness) => _harness = harness;

    [Fact]
    public void APrivateRepeatOfTwoEarlierRows_MakesBothPrivate()
    {
        var importer = new AccountRowImporter(_harness.Services.GetRequiredService<CustomerNormaliser>(), _harness.Services.GetRequiredService<IAccountKeyer>(), 1_000);
        importer.Add(new AccountRowInput(1, "Alpha Widgets", "alpha-widgets.com", "US", "123456789", null));
        importer.Add(new AccountRowInput(2, "Beta Gadgets", "beta-gadgets.com", "US", "987654321", null));
        importer.Add(new AccountRowInput(3, "Gamma Tools", "gamma-tools.com", "US", null, null));

        // The domain of the first row and the DUNS number of the second: the company behind both is to stay private.
        importer.Add(new AccountRowInput(4, "Alpha Beta Holdings", "alpha-widgets.com", "US", "987654321", "yes"));

        importer.Rows.Select(r => (r.Name, r.Private)).Should().Equal(("Alpha Widgets", true), ("Beta Gadgets", true), ("Gamma Tools", false));
        importer.Summary.RepeatedRows.Should().Be(1);
        importer.Summary.PrivateRows.Should().Be(2);
    }

    [Fact]
    public void ARowGivingAnIdentifierOnlyARepeatGave_RepeatsThatAccount_SoAPrivateAccountStaysPrivate()
    {
        var importer = new AccountRowImporter(_harness.Services.GetRequiredService<CustomerNormaliser>(), _harness.Services.GetRequiredService<IAccountKeyer>(), 1_000);
        importer.Add(new AccountRowInput(1, "Acme Widgets", "acmewidgets.com", "US", null, null));
        importer.Add(new AccountRowInput(2, "Acme Widgets", "acmewidgets.com", "US", "123456782", "true"));

        // The DUNS number the private repeat gave: the same company, whichever order the rows come in.
        importer.Add(new AccountRowInput(3, "Widget Holdings", null, "US", "12-345-6782", null));

        importer.Rows.Select(r => (r.Name, r.Private)).Should().Equal(("Acme Widgets", true));
        importer.Summary.RepeatedRows.Should().Be(2);
        importer.Summary.PrivateRows.Should().Be(1);
    }

    public static TheoryData<int[]> Orders() => new([0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]);

    [Theory]
    [MemberData(nameof(Orders))]
    public void RowsThatARowLinksAreOneCompany_SharedOrPrivateTogether_InWhateverOrderTheyCome(int[] order)
    {
        var importer = new AccountRowImporter(_harness.Services.GetRequiredService<CustomerNormaliser>(), _harness.Services.GetRequiredService<IAccountKeyer>(), 1_000);
        AccountRowInput[] rows =
        [
            new(1, "Alpha Widgets", "alpha-widgets.com", "US", null, "yes"),
            new(2, "Beta Gadgets", null, "US", "987654321", null),
            // The domain of the first and the DUNS number of the second: one company, which the first says is private.
            new(3, "Alpha Beta Holdings", "alpha-widgets.com", "US", "987654321", null),
        ];

        foreach (var index in order)
        {
            importer.Add(rows[index]);
        }

        importer.Rows.Should().NotBeEmpty().And.OnlyContain(r => r.Private, "no row of a private company is shared");
        importer.Summary.PrivateRows.Should().Be(importer.Rows.Count);
        (importer.Rows.Count + importer.Summary.RepeatedRows).Should().Be(3);
    }

    [Fact]
    public void APrivateRepeatGivingOnlyTheName_MakesEveryRowItsCompanyLinksPrivate()
    {
        var importer = new AccountRowImporter(_harness.Services.GetRequiredService<CustomerNormaliser>(), _harness.Services.GetRequiredService<IAccountKeyer>(), 1_000);
        importer.Add(new AccountRowInput(1, "Gamma Tools", "gamma-tools.com", "US", null, null));
        importer.Add(new AccountRowInput(2, "Gamma Instruments", null, "US", "123456782", null));
        importer.Add(new AccountRowInput(3, "Gamma Tools", null, "US", "123456782", null));

        importer.Add(new AccountRowInput(4, "Gamma Instruments", null, "US", null, "true"));

        importer.Rows.Select(r => (r.Name, r.Private)).Should().Equal(("Gamma Tools", true), ("Gamma Instruments", true));
    }

    [Theory]
    [InlineData("12.345.6789")]
    [InlineData("12/345/6789")]
    public void ADunsNumberARegistrationRefuses_IsABadRow(string duns)
    {
        var importer = new AccountRowImporter(_harness.Services.GetRequiredService<CustomerNormaliser>(), _harness.Services.GetRequiredService<IAccountKeyer>(), 1_000);

        importer.Add(new AccountRowInput(1, "Dotted Numbers Ltd", "dotted-numbers.com", "GB", duns, null));

        importer.Rows.Should().BeEmpty();
        importer.Summary.Problems.Should().ContainSingle().Which.Reason.Should().Contain("not a nine-digit DUNS number");
    }

    [Fact]
    public void TwoBusinessesWithPagesOnOnePlatform_AreTwoAccounts_EachWithoutADomain()
    {
        var importer = new AccountRowImporter(_harness.Services.GetRequiredService<CustomerNormaliser>(), _harness.Services.GetRequiredService<IAccountKeyer>(), 1_000);

        importer.Add(new AccountRowInput(1, "Bäckerei Schmidt", "https://www.facebook.com/baeckerei.schmidt", "DE", null, null));
        importer.Add(new AccountRowInput(2, "Metzgerei Müller", "https://facebook.com/metzgerei.mueller", "DE", null, null));

        importer.Rows.Select(r => (r.Name, r.Domain)).Should().Equal(("Bäckerei Schmidt", (string?)null), ("Metzgerei Müller", (string?)null));
        importer.Summary.RepeatedRows.Should().Be(0);
    }
}
