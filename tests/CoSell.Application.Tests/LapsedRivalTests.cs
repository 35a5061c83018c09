using CoSell.Application.Registrations;
using CoSell.Application.RulesOfEngagement;
using CoSell.Domain.Partners;
using CoSell.Domain.Registrations;
using CoSell.Domain.Users;
using CoSell.Infrastructure.Seeding;

namespace CoSell.Application.Tests;

/// <summary>
/// A submission likely to duplicate only a rival whose window ended (the expiry service not yet run): the rival is
/// written expired and binds no case, and the submission goes on. Its own harness: it publishes rules whose likely
/// threshold a lapsed claim's weight still meets.
/// </summary>
public sealed class LapsedRivalTests : IClassFixture<Harness>
{
    private readonly Harness _harness;

    public LapsedRivalTests(Harness harness) => _harness = harness;

    [Fact]
    public async Task ASubmissionLikelyToDuplicateOnlyALapsedRival_IsSubmitted_AndTheRivalIsWrittenExpired()
    {
        _harness.User.Is(DemoProgramme.Admin, Roles.Admin);
        var tiers = Enum.GetValues<PartnerTier>().Select(t => new TierPolicyInput(t, 90, 30, 1, 1_000, 100_000, 24)).ToList();
        await _harness.Send(new PublishRulesVersion("USD", tiers, 0.65m, 0.5m, 30, 48, 24));
        var close = DateOnly.FromDateTime(_harness.Time.GetUtcNow().UtcDateTime).AddDays(200);
        _harness.User.Is(DemoProgramme.NorthwindUser, Roles.Partner, DemoProgramme.Northwind);
        var rival = await _harness.Send(new CreateRegistration(new CustomerInput("Lapsed Rival Inc", "lapsed-rival.com", "US", null), ["Cloud"], new MoneyInput(30_000, "USD"), close, null));
        var approved = await _harness.Send(new SubmitRegistration(rival.Id));
        approved.Status.Should().Be(RegistrationStatus.Approved);
        _harness.Time.Advance(approved.ProtectionEndsAt!.Value - _harness.Time.GetUtcNow() + TimeSpan.FromMinutes(1));

        _harness.User.Is(DemoProgramme.FabrikamUser, Roles.Partner, DemoProgramme.Fabrikam);
        var late = await _harness.Send(new CreateRegistration(new CustomerInput("Lapsed Rival Inc", "lapsed-rival.com", "US", null), ["Cloud"], new MoneyInput(30_000, "USD"), close, null));
        var submitted = await _harness.Send(new SubmitRegistration(late.Id));

        submitted.Status.Should().NotBe(RegistrationStatus.InConflict, "a rival whose window ended binds no case");
        submitted.Status.Should().NotBe(RegistrationStatus.Draft);
        _harness.User.Is(DemoProgramme.Manager, Roles.ChannelManager);
        (await _harness.Send(new GetRegistration(rival.Id))).Status.Should().Be(RegistrationStatus.Expired, "the submission found its window over and wrote so");
    }
}
