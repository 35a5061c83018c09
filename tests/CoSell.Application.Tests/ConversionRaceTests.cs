using CoSell.Application.Abstractions;
using CoSell.Application.Opportunities;
using CoSell.Application.Registrations;
using CoSell.Domain.Registrations;
using CoSell.Domain.SeedWork;
using CoSell.Domain.Users;
using CoSell.Infrastructure.Seeding;

namespace CoSell.Application.Tests;

/// <summary>
/// A registration closed as won at the moment it is made an opportunity: one of the two commits, the other is refused
/// and stores nothing, in either order. The other command lands between the real handler and its commit
/// (<see cref="Harness.BeforeCommit"/>), as a concurrent request's commit would.
/// </summary>
public sealed class ConversionRaceTests : IClassFixture<Harness>
{
    private readonly Harness _harness;

    public ConversionRaceTests(Harness harness) => _harness = harness;

    private async Task<RegistrationDto> ApprovedAsync(string name)
    {
        _harness.User.Is(DemoProgramme.NorthwindUser, Roles.Partner, DemoProgramme.Northwind);
        var close = DateOnly.FromDateTime(_harness.Time.GetUtcNow().UtcDateTime).AddDays(30);
        var domain = name.ToLowerInvariant().Replace(' ', '-') + ".com";
        var draft = await _harness.Send(new CreateRegistration(new CustomerInput(name, domain, "US", null), ["Cloud"], new MoneyInput(30_000m, "USD"), close, null));
        var approved = await _harness.Send(new SubmitRegistration(draft.Id));
        approved.Status.Should().Be(RegistrationStatus.Approved, "a Gold deal under the ceiling is approved at once");
        _harness.User.Is(DemoProgramme.Manager, Roles.ChannelManager);
        return approved;
    }

    private Task<OpportunityDto> Convert(Guid registrationId) =>
        _harness.Send(new CreateOpportunityFromRegistration(registrationId, DemoProgramme.Rep, null, null, null, null));

    private async Task<RegistrationDto> Read(Guid id)
    {
        _harness.User.Is(DemoProgramme.Manager, Roles.ChannelManager);
        return await _harness.Send(new GetRegistration(id));
    }

    [Fact]
    public async Task AWinDecidedBeforeTheRegistrationWasMadeAnOpportunity_IsRefusedAtItsCommit_AndTheRegistrationStaysApproved()
    {
        var approved = await ApprovedAsync("Alderwick Freight Inc");
        OpportunityDto? converted = null;
        _harness.BeforeCommit = async () => converted = await Convert(approved.Id);

        var close = () => _harness.Send(new CloseRegistration(approved.Id, CloseOutcome.Won));

        (await close.Should().ThrowAsync<ConcurrentChangeException>()).Which.Code.Should().Be("conflict.concurrent_change");
        converted.Should().NotBeNull();
        var stored = await Read(approved.Id);
        stored.Status.Should().Be(RegistrationStatus.Approved, "the registration is won with its deal, which is open");
        stored.Version.Should().BeGreaterThan(approved.Version, "being made an opportunity moves the registration's version on");
        (await FluentActions.Awaiting(() => _harness.Send(new CloseRegistration(approved.Id, CloseOutcome.Won))).Should().ThrowAsync<DomainException>())
            .Which.Code.Should().Be("registration.opportunity_open", "read again, the close meets the open deal");
    }

    [Fact]
    public async Task AWinNamingTheVersionReadBeforeTheConversion_IsAFailedPrecondition()
    {
        var approved = await ApprovedAsync("Birchmoor Dental LLC");
        _harness.BeforeCommit = async () => await Convert(approved.Id);

        var close = () => _harness.Send(new CloseRegistration(approved.Id, CloseOutcome.Won, ExpectedVersion: approved.Version));

        await close.Should().ThrowAsync<PreconditionFailedException>();
        (await Read(approved.Id)).Status.Should().Be(RegistrationStatus.Approved);
    }

    [Fact]
    public async Task AConversionDecidedBeforeTheRegistrationWasClosedAsWon_IsRefusedAtItsCommit_AndOpensNoDeal()
    {
        var approved = await ApprovedAsync("Quillon Harbour Foods");
        _harness.BeforeCommit = async () =>
        {
            await _harness.Send(new CloseRegistration(approved.Id, CloseOutcome.Won));
        };

        var convert = () => Convert(approved.Id);

        (await convert.Should().ThrowAsync<ConcurrentChangeException>()).Which.Code.Should().Be("conflict.concurrent_change",
            "the conversion changes the registration (its timeline says so), and a change that sent no If-Match and lost its commit is told so");
        (await Read(approved.Id)).Status.Should().Be(RegistrationStatus.Won);
        (await FluentActions.Awaiting(() => Convert(approved.Id)).Should().ThrowAsync<DomainException>())
            .Which.Code.Should().Be("opportunity.registration_not_approved", "the refused conversion opened no deal: read again, the registration is won");
    }

    [Fact]
    public async Task AConversionNamingTheVersionReadBeforeTheWin_IsAFailedPrecondition_AndOpensNoDeal()
    {
        var approved = await ApprovedAsync("Rowanbank Cold Storage");
        _harness.BeforeCommit = async () =>
        {
            await _harness.Send(new CloseRegistration(approved.Id, CloseOutcome.Won));
        };

        var convert = () => _harness.Send(new CreateOpportunityFromRegistration(
            approved.Id, DemoProgramme.Rep, null, null, null, null, ExpectedVersion: approved.Version));

        await convert.Should().ThrowAsync<PreconditionFailedException>();
        var stored = await Read(approved.Id);
        stored.Status.Should().Be(RegistrationStatus.Won);
        _harness.User.Is(DemoProgramme.Manager, Roles.ChannelManager);
        (await _harness.Send(new GetRegistrationTimeline(approved.Id, null, null))).Items.Should().NotContain(e => e.Type == "registration.opportunity_opened");
    }
}
