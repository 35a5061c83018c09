using CoSell.Application.Abstractions;
using CoSell.Application.AccountMapping;
using CoSell.Application.Opportunities;
using CoSell.Application.Partners;
using CoSell.Application.Registrations;
using CoSell.Domain.AccountMapping;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Partners;
using CoSell.Domain.Registrations;
using CoSell.Domain.SeedWork;
using CoSell.Domain.Users;
using CoSell.Infrastructure.Seeding;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace CoSell.Application.Tests;

/// <summary>
/// A decision that rests on the partner being active must not commit after a suspension that committed while it was
/// being made. The suspension lands between the real handler and its commit (<see cref="Harness.BeforeCommit"/>).
/// Its own harness: these tests suspend demo partners, and reinstate them.
/// </summary>
public sealed class PartnerDependencyTests : IClassFixture<Harness>
{
    private readonly Harness _harness;

    public PartnerDependencyTests(Harness harness) => _harness = harness;

    private void AsPartner(Guid partner) =>
        _harness.User.Is(partner == DemoProgramme.Northwind ? DemoProgramme.NorthwindUser : DemoProgramme.AdatumUser, Roles.Partner, partner);

    private void AsManager() => _harness.User.Is(DemoProgramme.Manager, Roles.ChannelManager);

    private async Task<RegistrationDto> DraftAsync(Guid partner, string name, decimal amount)
    {
        AsPartner(partner);
        var domain = name.ToLowerInvariant().Replace(' ', '-') + ".com";
        return await _harness.Send(new CreateRegistration(
            new CustomerInput(name, domain, "US", null),
            ["Security"],
            new MoneyInput(amount, "USD"),
            DateOnly.FromDateTime(_harness.Time.GetUtcNow().UtcDateTime).AddDays(30),
            null));
    }

    private async Task SetStatusAsync(Guid partner, PartnerStatus status) => await _harness.InScope(async sp =>
    {
        var stored = (await sp.GetRequiredService<IRepository<Partner>>().GetByIdAsync(partner, CancellationToken.None))!;
        stored.Update(null, null, null, null, status, "admin", _harness.Time.GetUtcNow());
        await sp.GetRequiredService<IUnitOfWork>().CommitAsync(CancellationToken.None);
        return stored.Version;
    });

    /// <summary>Sends the command with a suspension of the partner committed between its handler and its commit; reinstates the partner after.</summary>
    private async Task<DomainException> RefusedBySuspensionMeanwhile<T>(Guid partner, IRequest<T> command)
    {
        _harness.BeforeCommit = () => SetStatusAsync(partner, PartnerStatus.Suspended);
        try
        {
            var send = () => _harness.Send(command);
            return (await send.Should().ThrowAsync<DomainException>()).Which;
        }
        finally
        {
            _harness.BeforeCommit = null;
            await SetStatusAsync(partner, PartnerStatus.Active);
        }
    }

    private async Task<RegistrationDto> StoredAsync(Guid id)
    {
        AsManager();
        return await _harness.Send(new GetRegistration(id));
    }

    [Fact]
    public async Task AnApprovalWhosePartnerIsSuspendedMeanwhile_StoresNothing_AndIsDecidedAgainIntoTheSuspension()
    {
        var draft = await DraftAsync(DemoProgramme.Adatum, "Suspension Race Ltd", 400_000m);
        var submitted = await _harness.Send(new SubmitRegistration(draft.Id));
        submitted.Status.Should().NotBe(RegistrationStatus.Approved, "the test needs a registration that waits for a reviewer");
        AsManager();

        var refused = await RefusedBySuspensionMeanwhile(DemoProgramme.Adatum, new ApproveRegistration(submitted.Id));

        refused.Code.Should().Be("partner.suspended", "lost at its commit, the approval is decided again and meets the suspension");
        var stored = await StoredAsync(submitted.Id);
        stored.Status.Should().Be(submitted.Status);
        stored.ProtectionEndsAt.Should().BeNull();
    }

    [Fact]
    public async Task AnAcceptanceWhosePartnerIsSuspendedMeanwhile_IsDecidedAgainIntoTheSuspension_AndTheInvitationWaits()
    {
        _harness.User.Is(DemoProgramme.Rep, Roles.Rep);
        var close = DateOnly.FromDateTime(_harness.Time.GetUtcNow().UtcDateTime).AddDays(30);
        var opportunity = await _harness.Send(new CreateOpportunity(new CustomerInput("Accept Race Ltd", "accept-race.co.uk", "GB", null), null, new MoneyInput(70_000m, "GBP"), close, null, null));
        var invitation = await _harness.Send(new InvitePartner(opportunity.Id, DemoProgramme.Northwind, null));
        AsPartner(DemoProgramme.Northwind);

        var refused = await RefusedBySuspensionMeanwhile(DemoProgramme.Northwind, new AcceptInvitation(invitation.Id));

        refused.Code.Should().Be("partner.suspended");
        _harness.User.Is(DemoProgramme.Rep, Roles.Rep);
        (await _harness.Send(new GetOpportunity(opportunity.Id))).Participants.Single(p => p.InvitationId == invitation.Id).Status.Should().Be(InvitationStatus.Pending);
    }

    [Fact]
    public async Task AVendorsProposalWhosePartnerIsSuspendedMeanwhile_StoresNothing()
    {
        _harness.User.Is(DemoProgramme.Manager, Roles.ChannelManager);

        var refused = await RefusedBySuspensionMeanwhile(DemoProgramme.Adatum, new ProposePartnership(DemoProgramme.Adatum));

        refused.Code.Should().Be("partner.changed", "a proposal rests on its partner being active, as an invitation does");
        (await _harness.InScope(sp => sp.GetRequiredService<IRepository<Partnership>>().AnyAsync(new PartnershipsSpec(DemoProgramme.Adatum, null), CancellationToken.None)))
            .Should().BeFalse("nothing of the refused proposal is stored");
    }

    [Fact]
    public async Task ASubmissionWhosePartnerIsSuspendedMeanwhile_IsNeitherApprovedAtOnceNorSubmitted()
    {
        var small = await DraftAsync(DemoProgramme.Northwind, "Quick Approval Race Inc", 10_000m);
        var large = await DraftAsync(DemoProgramme.Adatum, "Slow Review Race Inc", 400_000m);

        AsPartner(DemoProgramme.Northwind);
        (await RefusedBySuspensionMeanwhile(DemoProgramme.Northwind, new SubmitRegistration(small.Id))).Code.Should().Be("partner.changed");
        AsPartner(DemoProgramme.Adatum);
        (await RefusedBySuspensionMeanwhile(DemoProgramme.Adatum, new SubmitRegistration(large.Id))).Code.Should().Be("partner.changed");

        (await StoredAsync(small.Id)).Status.Should().Be(RegistrationStatus.Draft);
        (await StoredAsync(large.Id)).Status.Should().Be(RegistrationStatus.Draft);
        AsPartner(DemoProgramme.Northwind);
        (await _harness.Send(new SubmitRegistration(small.Id))).Status.Should().Be(RegistrationStatus.Approved, "the same small deal is approved at once while the partner is active");
    }

    [Fact]
    public async Task AnExtensionWhosePartnerIsSuspendedMeanwhile_LeavesTheProtectionAsItWas()
    {
        var draft = await DraftAsync(DemoProgramme.Northwind, "Extension Race GmbH", 10_000m);
        AsPartner(DemoProgramme.Northwind);
        var approved = await _harness.Send(new SubmitRegistration(draft.Id));
        approved.Status.Should().Be(RegistrationStatus.Approved);
        AsManager();

        var refused = await RefusedBySuspensionMeanwhile(DemoProgramme.Northwind, new ExtendRegistration(approved.Id));

        refused.Code.Should().Be("partner.changed");
        var stored = await StoredAsync(approved.Id);
        stored.ProtectionEndsAt.Should().Be(approved.ProtectionEndsAt);
        stored.Version.Should().Be(approved.Version);
    }

    [Fact]
    public async Task TwoApprovalsRestingOnTheSamePartner_BothCommit_AndLeaveThePartnersVersionAlone()
    {
        var first = await DraftAsync(DemoProgramme.Adatum, "Shared Partner One Inc", 400_000m);
        var second = await DraftAsync(DemoProgramme.Adatum, "Shared Partner Two Inc", 400_000m);
        await _harness.Send(new SubmitRegistration(first.Id));
        await _harness.Send(new SubmitRegistration(second.Id));
        var versionBefore = await PartnerVersionAsync();
        AsManager();

        // The second approval is read and decided while the first commits.
        _harness.BeforeCommit = async () => (await _harness.Send(new ApproveRegistration(first.Id))).Status.Should().Be(RegistrationStatus.Approved);
        var approved = await _harness.Send(new ApproveRegistration(second.Id));

        approved.Status.Should().Be(RegistrationStatus.Approved);
        (await StoredAsync(first.Id)).Status.Should().Be(RegistrationStatus.Approved);
        (await PartnerVersionAsync()).Should().Be(versionBefore, "resting on the partner is not changing it");
    }

    [Fact]
    public async Task ADraftSubmittedWhileItsPartnerIsHandedToAnotherManager_IsTakenAlong_ForTheHandOverIsDecidedAgain()
    {
        var draft = await DraftAsync(DemoProgramme.Northwind, "Hand Over Race Ltd", 400_000m);
        var partnerVersion = await _harness.InScope(async sp => (await sp.GetRequiredService<IRepository<Partner>>().GetByIdAsync(DemoProgramme.Northwind, CancellationToken.None))!.Version);
        UpdatePartner HandOver(long version, Guid manager) => new(DemoProgramme.Northwind, null, null, null, manager, null, version);
        _harness.User.Is(DemoProgramme.Admin, Roles.Admin);
        _harness.BeforeCommit = async () =>
        {
            AsPartner(DemoProgramme.Northwind);
            (await _harness.Send(new SubmitRegistration(draft.Id))).ReviewerId.Should().Be(DemoProgramme.Manager, "it read the manager of the moment");
            _harness.User.Is(DemoProgramme.Admin, Roles.Admin);
        };

        // The hand-over's first commit rests on the registrations it read waiting, which the submission changed: it is
        // decided again, finds the submission waiting, and takes it along.
        var handedOver = await _harness.Send(HandOver(partnerVersion, DemoProgramme.Manager2));

        (await StoredAsync(draft.Id)).ReviewerId.Should().Be(DemoProgramme.Manager2);
        _harness.User.Is(DemoProgramme.Admin, Roles.Admin);
        await _harness.Send(HandOver(handedOver.Version, DemoProgramme.Manager));
    }

    private Task<long> PartnerVersionAsync() =>
        _harness.InScope(async sp => (await sp.GetRequiredService<IRepository<Partner>>().GetByIdAsync(DemoProgramme.Adatum, CancellationToken.None))!.Version);
}
