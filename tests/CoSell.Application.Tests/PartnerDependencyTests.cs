using CoSell.Application.Abstractions;
using CoSell.Application.Partners;
using CoSell.Application.Registrations;
using CoSell.Application.RulesOfEngagement;
using CoSell.Domain.Partners;
using CoSell.Domain.Registrations;
using CoSell.Domain.SeedWork;
using CoSell.Domain.Users;
using CoSell.Infrastructure.Seeding;
using Microsoft.Extensions.DependencyInjection;
using Rules = CoSell.Domain.Rules.RulesOfEngagement;

namespace CoSell.Application.Tests;

/// <summary>
/// A decision that rests on the partner being active (an approval) must not commit after a suspension that committed
/// while it was being made. Its own harness: these tests suspend a demo partner.
/// </summary>
public sealed class PartnerDependencyTests : IClassFixture<Harness>
{
    private readonly Harness _harness;

    public PartnerDependencyTests(Harness harness) => _harness = harness;

    private async Task<RegistrationDto> SubmittedAsync(string name, string domain, Guid partnerUser, Guid partner)
    {
        _harness.User.Is(partnerUser, Roles.Partner, partner);
        var created = await _harness.Send(new CreateRegistration(
            new CustomerInput(name, domain, "US", null),
            ["Security"],
            new MoneyInput(400_000m, "USD"),
            DateOnly.FromDateTime(_harness.Time.GetUtcNow().UtcDateTime).AddDays(30),
            null));
        return await _harness.Send(new SubmitRegistration(created.Id));
    }

    /// <summary>Reads the registration and its partner in one scope and approves it there, without committing yet.</summary>
    private static async Task<DealRegistration> ApproveUncommittedAsync(IServiceProvider scope, Guid registrationId, DateTimeOffset at)
    {
        var registration = (await scope.GetRequiredService<IRepository<DealRegistration>>().GetByIdAsync(registrationId, CancellationToken.None))!;
        await scope.GetRequiredService<IRepository<Partner>>().ActivePartnerAsync(registration.PartnerId, "refused", CancellationToken.None);
        var policy = await scope.GetRequiredService<IRepository<Rules>>().PolicyAsync(registration.RulesVersion, registration.Tier, CancellationToken.None);
        registration.Approve(policy, DemoProgramme.Manager.ToString(), at);
        return registration;
    }

    [Fact]
    public async Task AnApprovalReadBeforeASuspensionCommitsNothing_AndSaysThePartnerChanged()
    {
        var submitted = await SubmittedAsync("Suspension Race Ltd", "suspension-race.com", DemoProgramme.AdatumUser, DemoProgramme.Adatum);
        submitted.Status.Should().NotBe("Approved", "the test needs a registration that waits for a reviewer");
        using var approving = _harness.Services.CreateScope();
        await ApproveUncommittedAsync(approving.ServiceProvider, submitted.Id, _harness.Time.GetUtcNow());

        // Meanwhile an admin suspends the partner, and that commits first.
        await _harness.InScope(async sp =>
        {
            var partner = (await sp.GetRequiredService<IRepository<Partner>>().GetByIdAsync(DemoProgramme.Adatum, CancellationToken.None))!;
            partner.Update(null, null, null, null, PartnerStatus.Suspended, "admin", _harness.Time.GetUtcNow());
            await sp.GetRequiredService<IUnitOfWork>().CommitAsync(CancellationToken.None);
            return true;
        });
        var commit = () => approving.ServiceProvider.GetRequiredService<IUnitOfWork>().CommitAsync(CancellationToken.None);

        (await commit.Should().ThrowAsync<DomainException>()).Which.Code.Should().Be("partner.changed");
        _harness.User.Is(DemoProgramme.Admin, Roles.Admin);
        var stored = await _harness.Send(new GetRegistration(submitted.Id));
        stored.Status.Should().Be(submitted.Status, "the refused approval stored nothing");
        stored.ProtectionEndsAt.Should().BeNull();
        var retried = () => _harness.Send(new ApproveRegistration(submitted.Id));
        (await retried.Should().ThrowAsync<DomainException>()).Which.Code.Should().Be("partner.suspended", "read again, the partner is suspended");
    }

    [Fact]
    public async Task TwoApprovalsRestingOnTheSamePartner_BothCommit_AndLeaveThePartnersVersionAlone()
    {
        var first = await SubmittedAsync("Shared Partner One Inc", "shared-partner-one.com", DemoProgramme.NorthwindUser, DemoProgramme.Northwind);
        var second = await SubmittedAsync("Shared Partner Two Inc", "shared-partner-two.com", DemoProgramme.NorthwindUser, DemoProgramme.Northwind);
        var versionBefore = await _harness.InScope(async sp => (await sp.GetRequiredService<IRepository<Partner>>().GetByIdAsync(DemoProgramme.Northwind, CancellationToken.None))!.Version);
        using var a = _harness.Services.CreateScope();
        using var b = _harness.Services.CreateScope();
        await ApproveUncommittedAsync(a.ServiceProvider, first.Id, _harness.Time.GetUtcNow());
        await ApproveUncommittedAsync(b.ServiceProvider, second.Id, _harness.Time.GetUtcNow());

        await a.ServiceProvider.GetRequiredService<IUnitOfWork>().CommitAsync(CancellationToken.None);
        await b.ServiceProvider.GetRequiredService<IUnitOfWork>().CommitAsync(CancellationToken.None);

        _harness.User.Is(DemoProgramme.Admin, Roles.Admin);
        (await _harness.Send(new GetRegistration(first.Id))).Status.Should().Be("Approved");
        (await _harness.Send(new GetRegistration(second.Id))).Status.Should().Be("Approved");
        var versionAfter = await _harness.InScope(async sp => (await sp.GetRequiredService<IRepository<Partner>>().GetByIdAsync(DemoProgramme.Northwind, CancellationToken.None))!.Version);
        versionAfter.Should().Be(versionBefore, "resting on the partner is not changing it");
    }
}
