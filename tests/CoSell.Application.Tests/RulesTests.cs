using System.Globalization;
using CoSell.Application.Registrations;
using CoSell.Application.RulesOfEngagement;
using CoSell.Domain.Partners;
using CoSell.Domain.Registrations;
using CoSell.Domain.Users;
using CoSell.Infrastructure.Seeding;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;

namespace CoSell.Application.Tests;

public sealed class RulesTests : IClassFixture<Harness>
{
    private readonly Harness _harness;

    public RulesTests(Harness harness) => _harness = harness;

    [Fact]
    public async Task APublishedVersion_JudgesTheNextSubmission_AndTheEarlierOneKeepsItsVersion()
    {
        var close = DateOnly.FromDateTime(_harness.Time.GetUtcNow().UtcDateTime).AddDays(30);
        _harness.User.Is(DemoProgramme.NorthwindUser, Roles.Partner, DemoProgramme.Northwind);
        var before = await _harness.Send(new CreateRegistration(new CustomerInput("Before Rules Inc", "before-rules.com", "US", null), ["Cloud"], new MoneyInput(90_000, "USD"), close, null));
        (await _harness.Send(new SubmitRegistration(before.Id))).RulesVersion.Should().Be(1);

        _harness.User.Is(DemoProgramme.Admin, Roles.Admin);
        var tiers = Enum.GetValues<PartnerTier>().Select(t => new TierPolicyInput(t, 200, 30, 1, 1_000, 100_000, 24)).ToList();
        var published = await _harness.Send(new PublishRulesVersion("USD", tiers, 0.9m, 0.6m, 30, 48, 24));

        _harness.User.Is(DemoProgramme.NorthwindUser, Roles.Partner, DemoProgramme.Northwind);
        var after = await _harness.Send(new CreateRegistration(new CustomerInput("After Rules Inc", "after-rules.com", "US", null), ["Cloud"], new MoneyInput(90_000, "USD"), close, null));
        var submitted = await _harness.Send(new SubmitRegistration(after.Id));

        published.Version.Should().Be(2);
        submitted.RulesVersion.Should().Be(2);
        submitted.Status.Should().Be(RegistrationStatus.Approved, "version 2 raised the auto-approve ceiling above this deal");
        submitted.ProtectionEndsAt.Should().Be(_harness.Time.GetUtcNow().AddDays(200));
        (await _harness.Send(new GetRegistration(before.Id))).RulesVersion.Should().Be(1);
    }

    [Theory]
    [InlineData("USD", 1.234, "An amount in USD has at most two decimals.")]
    [InlineData("JPY", 10.5, "JPY has no minor unit: give a whole amount.")]
    [InlineData("BHD", 1.2345, "An amount in BHD has at most three decimals.")]
    public async Task AThresholdFinerThanItsRulesCurrency_IsRefusedNamingTheFieldAndTheDecimalsTheCurrencyTakes(string currency, double minimum, string said)
    {
        _harness.User.Is(DemoProgramme.Admin, Roles.Admin);
        var tiers = Enum.GetValues<PartnerTier>().Select(t => new TierPolicyInput(t, 200, 30, 1, t == PartnerTier.Silver ? (decimal)minimum : 1_000, 100_000, 24)).ToList();

        var publish = () => _harness.Send(new PublishRulesVersion(currency, tiers, 0.9m, 0.6m, 30, 48, 24));

        (await publish.Should().ThrowAsync<ValidationException>()).Which.Errors.Select(e => (e.PropertyName, e.ErrorMessage))
            .Should().Equal(("Tiers[1].MinimumDealValue", said));
    }

    // Before, 1e-17 was taken, and the rules in plain words said "from 0 it is flagged".
    [Theory]
    [InlineData("0.9", "0.00000000000000001", "PossibleDuplicateThreshold")]
    [InlineData("0.99999", "0.6", "LikelyDuplicateThreshold")]
    public async Task ADuplicateThresholdFinerThanAScore_IsRefusedNamingIt(string likely, string possible, string field)
    {
        _harness.User.Is(DemoProgramme.Admin, Roles.Admin);
        var tiers = Enum.GetValues<PartnerTier>().Select(t => new TierPolicyInput(t, 200, 30, 1, 1_000, 100_000, 24)).ToList();

        var publish = () => _harness.Send(new PublishRulesVersion("USD", tiers, decimal.Parse(likely, CultureInfo.InvariantCulture), decimal.Parse(possible, CultureInfo.InvariantCulture), 30, 48, 24));

        (await publish.Should().ThrowAsync<ValidationException>()).Which.Errors.Select(e => (e.PropertyName, e.ErrorMessage))
            .Should().Equal((field, "A threshold is a score, given to at most four decimals as scores are (0.8555)."));
    }

    [Fact]
    public void ATierPolicyCheckedWithoutItsRulesVersion_TakesNoThreshold_SinceNoCurrencySaysWhatItsMinorUnitIs()
    {
        // The container builds a tier policy's validator on its own (the API description reads the fields it needs);
        // a threshold it took would be held to no minor unit at all.
        using var scope = _harness.Services.CreateScope();
        var alone = scope.ServiceProvider.GetRequiredService<IValidator<TierPolicyInput>>();

        var finer = alone.Validate(new TierPolicyInput(PartnerTier.Silver, 90, 30, 2, 1.234m, 10.5m, 48));
        var whole = alone.Validate(new TierPolicyInput(PartnerTier.Silver, 90, 30, 2, 1_000m, 10_000m, 48));

        foreach (var result in new[] { finer, whole })
        {
            result.Errors.Select(e => e.PropertyName).Should().BeEquivalentTo(["MinimumDealValue", "AutoApproveCeiling"]);
            result.Errors.Should().OnlyContain(e => e.ErrorMessage.Contains("rules version's currency", StringComparison.Ordinal));
        }

        alone.Validate(new TierPolicyInput(PartnerTier.Silver, 90, 30, 2, null, null, 48)).Errors.Select(e => e.ErrorMessage)
            .Should().NotContain(m => m.Contains("rules version's currency", StringComparison.Ordinal), "a missing threshold is told that it is missing");
    }
}
