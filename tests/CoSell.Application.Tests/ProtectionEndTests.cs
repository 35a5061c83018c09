using CoSell.Application.Conflicts;
using CoSell.Application.DuplicateChecks;
using CoSell.Application.Opportunities;
using CoSell.Application.Registrations;
using CoSell.Domain.Conflicts;
using CoSell.Domain.Registrations;
using CoSell.Domain.SeedWork;
using CoSell.Domain.Users;
using CoSell.Infrastructure.Seeding;

namespace CoSell.Application.Tests;

/// <summary>
/// An approved registration whose protection window has ended is expired, whether or not the expiry service has written
/// it yet, unless an open conflict case holds it: then its protection lasts until the decision.
/// </summary>
public sealed class ProtectionEndTests : IClassFixture<Harness>
{
    private readonly Harness _harness;

    public ProtectionEndTests(Harness harness) => _harness = harness;

    private async Task<RegistrationDto> Register(Guid user, Guid partner, string name, string domain, decimal amount)
    {
        _harness.User.Is(user, Roles.Partner, partner);
        var close = DateOnly.FromDateTime(_harness.Time.GetUtcNow().UtcDateTime).AddDays(30);
        var draft = await _harness.Send(new CreateRegistration(new CustomerInput(name, domain, "US", null), ["Cloud"], new MoneyInput(amount, "USD"), close, null));
        return await _harness.Send(new SubmitRegistration(draft.Id));
    }

    /// <summary>Northwind's approval of <paramref name="name"/>, which Fabrikam's rival submission binds into an open case, past the end of its window.</summary>
    private async Task<(RegistrationDto Approved, RegistrationDto Rival)> HeldPastItsEnd(string name, string domain)
    {
        var approved = await Register(DemoProgramme.NorthwindUser, DemoProgramme.Northwind, $"{name} Inc", domain, 30_000m);
        var rival = await Register(DemoProgramme.FabrikamUser, DemoProgramme.Fabrikam, name, domain, 70_000m);
        rival.Status.Should().Be(RegistrationStatus.InConflict);
        PassTheEndOf(approved);
        return (approved, rival);
    }

    private void PassTheEndOf(RegistrationDto approved) =>
        _harness.Time.Advance(approved.ProtectionEndsAt!.Value - _harness.Time.GetUtcNow() + TimeSpan.FromMinutes(1));

    private async Task<RegistrationDto> Read(Guid id)
    {
        _harness.User.Is(DemoProgramme.Admin, Roles.Admin);
        return await _harness.Send(new GetRegistration(id));
    }

    [Fact]
    public async Task AnApprovalWhoseWindowEnded_IsNeitherExtendedClosedConvertedNorBoundIntoACase()
    {
        var approved = await Register(DemoProgramme.NorthwindUser, DemoProgramme.Northwind, "Lapsed Window Inc", "lapsed-window.com", 30_000m);
        approved.Status.Should().Be(RegistrationStatus.Approved, "a Gold deal under the ceiling is approved at once");
        PassTheEndOf(approved);

        _harness.User.Is(DemoProgramme.Manager, Roles.ChannelManager);
        (await FluentActions.Awaiting(() => _harness.Send(new ExtendRegistration(approved.Id))).Should().ThrowAsync<DomainException>())
            .Which.Code.Should().Be("registration.protection_ended");
        _harness.User.Is(DemoProgramme.NorthwindUser, Roles.Partner, DemoProgramme.Northwind);
        (await FluentActions.Awaiting(() => _harness.Send(new CloseRegistration(approved.Id, CloseOutcome.Won))).Should().ThrowAsync<DomainException>())
            .Which.Code.Should().Be("registration.protection_ended");
        (await FluentActions.Awaiting(() => _harness.Send(new WithdrawRegistration(approved.Id))).Should().ThrowAsync<DomainException>())
            .Which.Code.Should().Be("registration.protection_ended", "an expired registration is not withdrawn, whether or not the expiry service has run");
        (await Read(approved.Id)).Status.Should().Be(RegistrationStatus.Approved, "nothing was written by the refusals");

        var rival = await Register(DemoProgramme.FabrikamUser, DemoProgramme.Fabrikam, "Lapsed Window Inc", "lapsed-window.com", 70_000m);

        rival.Duplicate!.Verdict.Should().Be(DuplicateVerdict.Possible, "a claim whose protection ended weighs less");
        rival.Status.Should().Be(RegistrationStatus.Submitted, "an ended window protects nothing: the deal waits for its review, with no case");
        _harness.User.Is(DemoProgramme.Arbiter, Roles.Arbiter);
        (await _harness.Send(new ListConflicts(ConflictStatus.Open, null, true, 1, 100))).Items.Should().NotContain(c => c.Claims.Any(cl => cl.ClaimId == rival.Id));

        // Nor can a channel manager bind it by hand: it protects nothing to decide.
        _harness.User.Is(DemoProgramme.Manager, Roles.ChannelManager);
        (await FluentActions.Awaiting(() => _harness.Send(new OpenConflict(rival.Id, [approved.Id]))).Should().ThrowAsync<DomainException>())
            .Which.Code.Should().Be("conflict.no_rival_claim");
        _harness.User.Is(DemoProgramme.Rep, Roles.Rep);
        (await FluentActions.Awaiting(() => _harness.Send(new CreateOpportunityFromRegistration(approved.Id, null, null, null, null, null)))
            .Should().ThrowAsync<DomainException>()).Which.Code.Should().Be("registration.protection_ended");

        await _harness.Send(new ExpireRegistrations());
        (await Read(approved.Id)).Status.Should().Be(RegistrationStatus.Expired);

        // Once the expiry service has written it, each is answered as before: which came first is not the caller's concern.
        _harness.User.Is(DemoProgramme.Manager, Roles.ChannelManager);
        (await FluentActions.Awaiting(() => _harness.Send(new ExtendRegistration(approved.Id))).Should().ThrowAsync<DomainException>())
            .Which.Code.Should().Be("registration.protection_ended");
        _harness.User.Is(DemoProgramme.NorthwindUser, Roles.Partner, DemoProgramme.Northwind);
        (await FluentActions.Awaiting(() => _harness.Send(new CloseRegistration(approved.Id, CloseOutcome.Lost, LossReason.Price))).Should().ThrowAsync<DomainException>())
            .Which.Code.Should().Be("registration.protection_ended");
        (await FluentActions.Awaiting(() => _harness.Send(new WithdrawRegistration(approved.Id))).Should().ThrowAsync<DomainException>())
            .Which.Code.Should().Be("registration.protection_ended");
        _harness.User.Is(DemoProgramme.Rep, Roles.Rep);
        (await FluentActions.Awaiting(() => _harness.Send(new CreateOpportunityFromRegistration(approved.Id, null, null, null, null, null)))
            .Should().ThrowAsync<DomainException>()).Which.Code.Should().Be("registration.protection_ended");
    }

    [Fact]
    public async Task ADealWonAfterItsRegistrationsWindowEnded_ExpiresTheRegistration_RatherThanCloseItWon()
    {
        var approved = await Register(DemoProgramme.NorthwindUser, DemoProgramme.Northwind, "Won Too Late Inc", "won-too-late.com", 30_000m);
        _harness.User.Is(DemoProgramme.Rep, Roles.Rep);
        var deal = await _harness.Send(new CreateOpportunityFromRegistration(approved.Id, null, null, null, null, null));
        PassTheEndOf(approved);

        _harness.User.Is(DemoProgramme.Rep, Roles.Rep);
        await _harness.Send(new UpdateOpportunity(deal.Id, Domain.Opportunities.OpportunityStage.ClosedWon, null, null, null, null, null, deal.Version));

        (await Read(approved.Id)).Status.Should().Be(RegistrationStatus.Expired);
    }

    [Fact]
    public async Task TheExpiryService_PassesOverHeldRegistrations_PageByPage()
    {
        var held = await Register(DemoProgramme.NorthwindUser, DemoProgramme.Northwind, "Paged Hold Inc", "paged-hold.com", 30_000m);
        await Register(DemoProgramme.FabrikamUser, DemoProgramme.Fabrikam, "Paged Hold Inc", "paged-hold.com", 70_000m);
        _harness.Time.Advance(TimeSpan.FromSeconds(1));
        var free = await Register(DemoProgramme.NorthwindUser, DemoProgramme.Northwind, "Paged Free Inc", "paged-free.com", 30_000m);
        PassTheEndOf(free);

        // Each page holds one: the held registration, due first, fills the first page.
        while (await _harness.Send(new ExpireRegistrations(BatchSize: 1)) > 0)
        {
        }

        (await Read(held.Id)).Status.Should().Be(RegistrationStatus.Approved);
        (await Read(free.Id)).Status.Should().Be(RegistrationStatus.Expired);
    }

    [Fact]
    public async Task AnApprovalAnOpenCaseHolds_KeepsItsProtectionPastItsEnd_AndAnAwardOpensAFreshWindow()
    {
        var (approved, rival) = await HeldPastItsEnd("Held Window", "held-window.com");

        await _harness.Send(new ExpireRegistrations());
        (await Read(approved.Id)).Status.Should().Be(RegistrationStatus.Approved, "the case holds it until the decision");
        _harness.User.Is(DemoProgramme.Manager, Roles.ChannelManager);
        (await FluentActions.Awaiting(() => _harness.Send(new ExtendRegistration(approved.Id))).Should().ThrowAsync<DomainException>())
            .Which.Code.Should().Be("registration.protection_ended", "the decision sets what follows");

        _harness.User.Is(DemoProgramme.Arbiter, Roles.Arbiter);
        var conflict = (await _harness.Send(new ListConflicts(ConflictStatus.Open, null, true, 1, 100))).Items.Single(c => c.Claims.Any(cl => cl.ClaimId == rival.Id));
        await _harness.Send(new DecideConflict(conflict.Id, DecisionKind.Award, approved.Id, "Registered first, and protected while the case decided."));

        var awarded = await Read(approved.Id);
        awarded.Status.Should().Be(RegistrationStatus.Approved);
        awarded.ProtectionEndsAt.Should().BeAfter(_harness.Time.GetUtcNow());
        await _harness.Send(new ExpireRegistrations());
        (await Read(approved.Id)).Status.Should().Be(RegistrationStatus.Approved);

        // Reopened after that window ended too, the case does not revive it: it has expired and leaves the case.
        PassTheEndOf(awarded);
        _harness.User.Is(DemoProgramme.Admin, Roles.Admin);
        var reopened = await _harness.Send(new ReopenConflict(conflict.Id, "New evidence arrived."));
        (await Read(approved.Id)).Status.Should().Be(RegistrationStatus.Expired);
        reopened.Claims.Single(c => c.ClaimId == approved.Id).Status.Should().Be("left");
    }

    [Fact]
    public async Task AnApprovalAnOpenCaseHoldsPastItsEnd_MayBeWithdrawn_GivingTheClaimUp()
    {
        var (approved, _) = await HeldPastItsEnd("Given Up Window", "given-up-window.com");

        _harness.User.Is(DemoProgramme.NorthwindUser, Roles.Partner, DemoProgramme.Northwind);
        var withdrawn = await _harness.Send(new WithdrawRegistration(approved.Id, "The other partner works this customer."));

        withdrawn.Status.Should().Be(RegistrationStatus.Withdrawn, "the case held its protection, so it was still the partner's to give up");
    }

    [Fact]
    public async Task AThirdPartysSubmission_OnAnApprovalAnOpenCaseHoldsPastItsEnd_JoinsTheCase()
    {
        var (approved, rival) = await HeldPastItsEnd("Held Claim", "held-claim.com");
        // Only the approval is still a claim on the customer, for the third party's check: a rival in conflict is one too,
        // so it leaves by withdrawal here, and the case stays open on the held approval.
        _harness.User.Is(DemoProgramme.FabrikamUser, Roles.Partner, DemoProgramme.Fabrikam);
        await _harness.Send(new WithdrawRegistration(rival.Id, "Another partner was first."));

        var third = await Register(DemoProgramme.AdatumUser, DemoProgramme.Adatum, "Held Claim Inc", "held-claim.com", 70_000m);

        third.Duplicate!.Verdict.Should().Be(DuplicateVerdict.Likely, "the case holds the approval's protection until its decision");
        third.Status.Should().Be(RegistrationStatus.InConflict);
        _harness.User.Is(DemoProgramme.Arbiter, Roles.Arbiter);
        var conflict = (await _harness.Send(new ListConflicts(ConflictStatus.Open, null, true, 1, 100))).Items.Single(c => c.Claims.Any(cl => cl.ClaimId == approved.Id));
        conflict.Claims.Select(c => c.ClaimId).Should().Contain(third.Id, "it joined the case on this customer rather than wait for a review");
        _harness.User.Is(DemoProgramme.Manager, Roles.ChannelManager);
        var check = await _harness.Send(new CheckForDuplicates(new CustomerInput("Held Claim Inc", "held-claim.com", "US", null), ["Cloud"]));
        check.Matches!.Single(m => m.ClaimId == approved.Id).Reasons.Should().Contain(r => r.Contains("held by an open conflict case", StringComparison.Ordinal));
    }
}
