using CoSell.Application.Registrations;
using CoSell.Application.RulesOfEngagement;
using CoSell.Domain.Partners;
using CoSell.Domain.Registrations;
using CoSell.Domain.Users;
using CoSell.Infrastructure.Seeding;

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
        var published = await _harness.Send(new PublishRulesVersion("USD", tiers, 0.9, 0.6, 30, 48, 24));

        _harness.User.Is(DemoProgramme.NorthwindUser, Roles.Partner, DemoProgramme.Northwind);
        var after = await _harness.Send(new CreateRegistration(new CustomerInput("After Rules Inc", "after-rules.com", "US", null), ["Cloud"], new MoneyInput(90_000, "USD"), close, null));
        var submitted = await _harness.Send(new SubmitRegistration(after.Id));

        published.Version.Should().Be(2);
        submitted.RulesVersion.Should().Be(2);
        submitted.Status.Should().Be(RegistrationStatus.Approved, "version 2 raised the auto-approve ceiling above this deal");
        submitted.ProtectionEndsAt.Should().Be(_harness.Time.GetUtcNow().AddDays(200));
        (await _harness.Send(new GetRegistration(before.Id))).RulesVersion.Should().Be(1);
    }
}
