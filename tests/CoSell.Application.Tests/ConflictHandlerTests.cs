using CoSell.Application.Abstractions;
using CoSell.Application.Conflicts;
using CoSell.Application.Opportunities;
using CoSell.Application.Registrations;
using CoSell.Domain.Conflicts;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Partners;
using CoSell.Domain.Registrations;
using CoSell.Domain.SeedWork;
using CoSell.Domain.Users;
using CoSell.Infrastructure.Persistence;
using CoSell.Infrastructure.Seeding;
using Microsoft.Extensions.DependencyInjection;

namespace CoSell.Application.Tests;

public sealed class ConflictHandlerTests : IClassFixture<Harness>
{
    private readonly Harness _harness;

    public ConflictHandlerTests(Harness harness) => _harness = harness;

    private async Task<(Guid Conflict, Guid Northwind, Guid Fabrikam)> Collide(string domain)
    {
        var close = DateOnly.FromDateTime(_harness.Time.GetUtcNow().UtcDateTime).AddDays(30);
        _harness.User.Is(DemoProgramme.NorthwindUser, Roles.Partner, DemoProgramme.Northwind);
        var first = await _harness.Send(new CreateRegistration(new CustomerInput("Case Study Inc", domain, "US", null), ["Cloud"], new MoneyInput(90_000, "USD"), close, null));
        await _harness.Send(new SubmitRegistration(first.Id));
        _harness.User.Is(DemoProgramme.FabrikamUser, Roles.Partner, DemoProgramme.Fabrikam);
        var second = await _harness.Send(new CreateRegistration(new CustomerInput("Case Study", domain, "DE", null), ["Cloud"], new MoneyInput(20_000, "USD"), close, null));
        await _harness.Send(new SubmitRegistration(second.Id));
        _harness.User.Is(DemoProgramme.Arbiter, Roles.Arbiter);
        var cases = await _harness.Send(new ListConflicts(ConflictStatus.Open, null, true, 1, 100));
        var conflict = cases.Items.Single(c => c.Claims.Any(cl => cl.ClaimId == second.Id));
        return (conflict.Id, first.Id, second.Id);
    }

    [Fact]
    public async Task ACaseIsReadAStatementPerCollection_SoItsClaimsStatementsAndLogDoNotMultiplyEachOther()
    {
        var (conflict, _, _) = await Collide("read-apart.com");
        _harness.User.Is(DemoProgramme.NorthwindUser, Roles.Partner, DemoProgramme.Northwind);
        await _harness.Send(new AddConflictStatement(conflict, "We met the buyer first.", null));
        await _harness.Send(new AddConflictStatement(conflict, "Minutes of the first meeting attached.", ["https://read-apart.com/minutes"]));
        _harness.User.Is(DemoProgramme.Arbiter, Roles.Arbiter);

        _harness.Commands = [];
        ConflictDto read;
        Paged<ConflictDto> listed;
        List<string> reading, listing;
        try
        {
            read = await _harness.Send(new GetConflict(conflict));
            reading = _harness.Commands;
            _harness.Commands = [];
            listed = await _harness.Send(new ListConflicts(ConflictStatus.Open, null, true, 1, 100));
        }
        finally
        {
            listing = _harness.Commands;
            _harness.Commands = null;
        }

        string[] collections = ["conflict_claims", "conflict_statements", "conflict_decision_log"];
        reading.Should().Contain(c => c.Contains("conflict_statements", StringComparison.Ordinal), "the case's statements are read");
        reading.Concat(listing).Should().OnlyContain(c => collections.Count(t => c.Contains(t, StringComparison.Ordinal)) <= 1,
            "joined in one statement, a case's rows would be its claims × statements × log entries");
        // Before, statements were loaded with their case: every list page read every statement of every case on it.
        listing.Should().NotContain(c => c.Contains("conflict_statements", StringComparison.Ordinal), "a list's items carry no statements");
        read.Claims.Should().HaveCount(2);
        read.Statements.Should().HaveCount(2);
        listed.Items.Should().Contain(c => c.Id == conflict).Which.Claims.Should().HaveCount(2);
    }

    [Fact]
    public async Task ACaseAsRead_ShowsTheStatementsOfItsVersion_NotOneAddedAfterItWasRead()
    {
        var (conflict, _, _) = await Collide("statement-after-read.com");
        _harness.User.Is(DemoProgramme.NorthwindUser, Roles.Partner, DemoProgramme.Northwind);
        await _harness.Send(new AddConflictStatement(conflict, "We met the buyer first.", null));

        using var scope = _harness.Services.CreateScope();
        var read = (await scope.ServiceProvider.GetRequiredService<IRepository<ChannelConflict>>().GetByIdAsync(conflict, CancellationToken.None))!;
        _harness.User.Is(DemoProgramme.FabrikamUser, Roles.Partner, DemoProgramme.Fabrikam);
        await _harness.Send(new AddConflictStatement(conflict, "Said after the case was read.", null));

        var shown = await scope.ServiceProvider.GetRequiredService<IConflictStatements>().ListAsync(read, null, CancellationToken.None);

        shown.Select(st => st.Text).Should().Equal(["We met the buyer first."], "the case as read is at the version before the second statement");
    }

    /// <summary>
    /// Another decision, awarding <paramref name="claim"/>, commits after the next one has read the case and before it
    /// reads the case's registrations.
    /// </summary>
    private void AwardedMeanwhile(Guid conflict, Guid claim) => _harness.BeforeListingRegistrations = async () =>
    {
        await _harness.Send(new DecideConflict(conflict, DecisionKind.Award, claim, "Fabrikam showed the signed pilot."));
        _harness.User.Is(DemoProgramme.Arbiter, Roles.Arbiter);
    };

    /// <summary>The case as it stands after <paramref name="decision"/> was told it is decided, by the decision that ran meanwhile.</summary>
    private async Task<ConflictDto> RefusedAsDecided(DecideConflict decision)
    {
        var decide = () => _harness.Send(decision);

        (await decide.Should().ThrowAsync<DomainException>()).Which.Code.Should().Be("conflict.already_decided");
        _harness.BeforeListingRegistrations.Should().BeNull("the other decision ran where it was meant to");
        return await _harness.Send(new GetConflict(decision.ConflictId));
    }

    [Fact]
    public async Task ADecisionThatReadsTheCaseBeforeAnotherDecisionCommits_IsToldTheCaseIsDecided_NotThatItsClaimIsNotLive()
    {
        var (conflict, northwind, fabrikam) = await Collide("decided-meanwhile.com");
        // Northwind's claim, which this one awards, is turned down meanwhile.
        AwardedMeanwhile(conflict, fabrikam);

        var decided = await RefusedAsDecided(new DecideConflict(conflict, DecisionKind.Award, northwind, "Earlier claim."));

        decided.Decision!.AwardedClaimId.Should().Be(fabrikam);
    }

    // Before, the rival claim this co-sell would invite, turned down by the decision that committed meanwhile, was taken
    // for a claim that had left the case, and the co-sell was refused as having nobody to invite (400).
    [Fact]
    public async Task ACoSellThatReadsTheCaseBeforeAnotherDecisionCommits_IsToldTheCaseIsDecided_NotThatItHasNobodyToInvite()
    {
        var (conflict, northwind, fabrikam) = await Collide("co-sell-decided-meanwhile.com");
        AwardedMeanwhile(conflict, fabrikam);

        var decided = await RefusedAsDecided(new DecideConflict(conflict, DecisionKind.CoSell, fabrikam, "Both bring something."));

        decided.Decision!.Kind.Should().Be(DecisionKind.Award);
        decided.Claims.Single(c => c.ClaimId == northwind).Status.Should().NotBe("left", "the claim was turned down by a decision, not gone from the case");
    }

    [Fact]
    public async Task AReopeningAfterBothWindowsRanOutWhileTheDecisionStood_BringsBackNeitherClaim()
    {
        var close = DateOnly.FromDateTime(_harness.Time.GetUtcNow().UtcDateTime).AddDays(30);
        async Task<RegistrationDto> Submitted(Guid user, Guid partner, string name, decimal amount)
        {
            _harness.User.Is(user, Roles.Partner, partner);
            var draft = await _harness.Send(new CreateRegistration(new CustomerInput(name, "two-windows.com", "US", null), ["Cloud"], new MoneyInput(amount, "USD"), close, null));
            return await _harness.Send(new SubmitRegistration(draft.Id));
        }

        // Northwind's is approved at once (under Gold's ceiling), so its window runs from before the case.
        var first = await Submitted(DemoProgramme.NorthwindUser, DemoProgramme.Northwind, "Two Windows Inc", 30_000m);
        first.Status.Should().Be(RegistrationStatus.Approved);
        var rival = await Submitted(DemoProgramme.FabrikamUser, DemoProgramme.Fabrikam, "Two Windows", 70_000m);
        _harness.User.Is(DemoProgramme.Arbiter, Roles.Arbiter);
        var conflict = (await _harness.Send(new ListConflicts(ConflictStatus.Open, null, true, 1, 100))).Items.Single(c => c.Claims.Any(cl => cl.ClaimId == rival.Id)).Id;
        await _harness.Send(new DecideConflict(conflict, DecisionKind.Award, rival.Id, "Fabrikam brought the customer."));

        // Both windows, Northwind's from its approval and Fabrikam's from the award, run out while the decision stands.
        _harness.Time.Advance(TimeSpan.FromDays(200));
        _harness.User.Is(DemoProgramme.Admin, Roles.Admin);
        var reopened = await _harness.Send(new ReopenConflict(conflict, "New evidence."));

        (await _harness.Send(new GetRegistration(rival.Id))).Status.Should().Be(RegistrationStatus.Expired);
        (await _harness.Send(new GetRegistration(first.Id))).Status.Should().Be(RegistrationStatus.Rejected, "its window ran out as the winner's did");
        reopened.Claims.Select(c => c.Status).Should().OnlyContain(s => s == "left");
        _harness.User.Is(DemoProgramme.Arbiter, Roles.Arbiter);
        var award = () => _harness.Send(new DecideConflict(conflict, DecisionKind.Award, first.Id, "Northwind after all."));
        (await award.Should().ThrowAsync<DomainException>()).Which.Code.Should().Be("conflict.claim_not_live");
    }

    [Fact]
    public async Task AnArbiterWhoManagesAParty_MayNotDecide()
    {
        var (conflict, northwind, _) = await Collide("managed-party.com");
        await _harness.InScope(async sp =>
        {
            // The arbiter also became Fabrikam's channel manager.
            var db = sp.GetRequiredService<CoSellDbContext>();
            var fabrikam = await db.Partners.FindAsync(DemoProgramme.Fabrikam);
            fabrikam!.Update(null, null, null, DemoProgramme.Arbiter, null, "admin", _harness.Time.GetUtcNow());
            await sp.GetRequiredService<IUnitOfWork>().CommitAsync(CancellationToken.None);
            return 0;
        });
        _harness.User.Is(DemoProgramme.Arbiter, Roles.Arbiter);

        var decide = () => _harness.Send(new DecideConflict(conflict, DecisionKind.Award, northwind, "Earlier claim."));

        await decide.Should().ThrowAsync<ForbiddenException>();
        (await _harness.Send(new GetConflict(conflict))).Status.Should().Be(ConflictStatus.Open);
        await _harness.InScope(async sp =>
        {
            var db = sp.GetRequiredService<CoSellDbContext>();
            var fabrikam = await db.Partners.FindAsync(DemoProgramme.Fabrikam);
            fabrikam!.Update(null, null, null, DemoProgramme.Manager, null, "admin", _harness.Time.GetUtcNow());
            await sp.GetRequiredService<IUnitOfWork>().CommitAsync(CancellationToken.None);
            return 0;
        });
    }

    /// <summary>Suspends or reinstates Fabrikam, committed in a scope of its own.</summary>
    private Task<int> SetFabrikam(PartnerStatus status) => _harness.InScope(async sp =>
    {
        var db = sp.GetRequiredService<CoSellDbContext>();
        var fabrikam = await db.Partners.FindAsync(DemoProgramme.Fabrikam);
        fabrikam!.Update(null, null, null, null, status, "admin", _harness.Time.GetUtcNow());
        await sp.GetRequiredService<IUnitOfWork>().CommitAsync(CancellationToken.None);
        return 0;
    });

    [Fact]
    public async Task ACoSellDecisionWhosePartyIsSuspendedMeanwhile_StoresNothing_AndSaysThePartnerChanged()
    {
        var (conflict, northwind, _) = await Collide("suspended-while-co-selling.com");
        _harness.User.Is(DemoProgramme.Arbiter, Roles.Arbiter);
        _harness.BeforeCommit = async () => await SetFabrikam(PartnerStatus.Suspended);
        try
        {
            // Before, the decision committed a co-sell with a partner suspended since it was read, and so with nobody.
            var decide = () => _harness.Send(new DecideConflict(conflict, DecisionKind.CoSell, northwind, "Northwind leads; Fabrikam helps."));

            (await decide.Should().ThrowAsync<DomainException>()).Which.Code.Should().Be("partner.changed");
            _harness.User.Is(DemoProgramme.Arbiter, Roles.Arbiter);
            (await _harness.Send(new GetConflict(conflict))).Status.Should().Be(ConflictStatus.Open);
            var again = () => _harness.Send(new DecideConflict(conflict, DecisionKind.CoSell, northwind, "Northwind leads; Fabrikam helps."));
            (await again.Should().ThrowAsync<DomainValidationException>()).Which.Code.Should().Be("conflict.cosell_needs_other_party");
        }
        finally
        {
            _harness.BeforeCommit = null;
            await SetFabrikam(PartnerStatus.Active);
        }
    }

    [Fact]
    public async Task ACoSellDecisionWhoseDealIsClosedMeanwhile_StoresNothing_AndReadAgainOpensAJointDealOfItsOwn()
    {
        var close = DateOnly.FromDateTime(_harness.Time.GetUtcNow().UtcDateTime).AddDays(30);
        _harness.User.Is(DemoProgramme.NorthwindUser, Roles.Partner, DemoProgramme.Northwind);
        var registered = await _harness.Send(new CreateRegistration(new CustomerInput("Closing Time Inc", "closing-time-meanwhile.com", "US", null), ["Cloud"], new MoneyInput(90_000, "USD"), close, null));
        await _harness.Send(new SubmitRegistration(registered.Id));
        _harness.User.Is(DemoProgramme.Manager, Roles.ChannelManager);
        await _harness.Send(new ApproveRegistration(registered.Id));
        var deal = await _harness.Send(new CreateOpportunityFromRegistration(registered.Id, DemoProgramme.Rep, null, null, null, null));
        _harness.User.Is(DemoProgramme.Rep, Roles.Rep);
        var invitation = await _harness.Send(new InvitePartner(deal.Id, DemoProgramme.Fabrikam, "Join us on this one."));
        _harness.User.Is(DemoProgramme.FabrikamUser, Roles.Partner, DemoProgramme.Fabrikam);
        await _harness.Send(new AcceptInvitation(invitation.Id));
        var rival = await _harness.Send(new CreateRegistration(new CustomerInput("Closing Time", "closing-time-meanwhile.com", "DE", null), ["Cloud"], new MoneyInput(20_000, "USD"), close, null));
        await _harness.Send(new SubmitRegistration(rival.Id));
        _harness.User.Is(DemoProgramme.Arbiter, Roles.Arbiter);
        var conflict = (await _harness.Send(new ListConflicts(ConflictStatus.Open, null, true, 1, 100))).Items.Single(c => c.Claims.Any(cl => cl.ClaimId == rival.Id)).Id;

        // Fabrikam already works the deal, so the decision writes nothing on it: the rep closes it after the decision
        // read it as the joint deal and before the decision commits.
        _harness.BeforeCommit = async () =>
        {
            _harness.User.Is(DemoProgramme.Rep, Roles.Rep);
            var current = await _harness.Send(new GetOpportunity(deal.Id));
            await _harness.Send(new UpdateOpportunity(deal.Id, OpportunityStage.ClosedLost, null, null, null, null, null, current.Version));
            _harness.User.Is(DemoProgramme.Arbiter, Roles.Arbiter);
        };
        var decide = () => _harness.Send(new DecideConflict(conflict, DecisionKind.CoSell, registered.Id, "Northwind leads; Fabrikam helps."));

        (await decide.Should().ThrowAsync<DomainException>()).Which.Code.Should().Be("opportunity.changed");
        _harness.BeforeCommit.Should().BeNull("the close ran where it was meant to");
        (await _harness.Send(new GetConflict(conflict))).Status.Should().Be(ConflictStatus.Open);

        // Read again, the closed deal is no joint deal: the decision opens one of its own, with Fabrikam invited to it.
        await _harness.Send(new DecideConflict(conflict, DecisionKind.CoSell, registered.Id, "Northwind leads; Fabrikam helps."));
        var deals = await _harness.InScope(sp => sp.GetRequiredService<IRepository<Opportunity>>().ListAsync(new DealsOfCaseSpec(conflict, [registered.Id], []), CancellationToken.None));
        deals.Should().HaveCount(2);
        deals.Single(d => d.Id == deal.Id).Stage.Should().Be(OpportunityStage.ClosedLost);
        var joint = deals.Single(d => d.Id != deal.Id);
        joint.IsOpen.Should().BeTrue();
        joint.IsSeenBy(DemoProgramme.Fabrikam, _harness.Time.GetUtcNow()).Should().BeTrue("the decision invites Fabrikam to the deal it opened");
    }

    [Fact]
    public async Task ACoSellDecisionWhoseLeftOutPartyIsReinstatedMeanwhile_StoresNothing_AndReadAgainInvitesIt()
    {
        var (conflict, northwind, _) = await Collide("reinstated-while-co-selling.com");
        _harness.User.Is(DemoProgramme.AdatumUser, Roles.Partner, DemoProgramme.Adatum);
        var third = await _harness.Send(new CreateRegistration(new CustomerInput("Case Study KK", "reinstated-while-co-selling.com", "JP", null), ["Cloud"], new MoneyInput(20_000, "USD"), DateOnly.FromDateTime(_harness.Time.GetUtcNow().UtcDateTime).AddDays(30), null));
        await _harness.Send(new SubmitRegistration(third.Id));
        await SetFabrikam(PartnerStatus.Suspended);
        _harness.User.Is(DemoProgramme.Arbiter, Roles.Arbiter);
        _harness.BeforeCommit = async () => await SetFabrikam(PartnerStatus.Active);
        try
        {
            // Before, the decision committed after the reinstatement and left Fabrikam out as suspended.
            var decide = () => _harness.Send(new DecideConflict(conflict, DecisionKind.CoSell, northwind, "Northwind leads; the others help."));

            (await decide.Should().ThrowAsync<DomainException>()).Which.Code.Should().Be("partner.changed");
            _harness.BeforeCommit.Should().BeNull("the reinstatement ran where it was meant to");
            var decided = await _harness.Send(new DecideConflict(conflict, DecisionKind.CoSell, northwind, "Northwind leads; the others help."));
            decided.Decision!.CoSellWith!.Select(c => c.PartnerId).Should().Contain(DemoProgramme.Fabrikam, "read again, Fabrikam is active and invited");
        }
        finally
        {
            _harness.BeforeCommit = null;
            await SetFabrikam(PartnerStatus.Active);
        }
    }

    /// <summary>A case on a rep's direct deal and Northwind's registration of the same customer, with Northwind invited onto the deal first when asked.</summary>
    private async Task<(Guid Conflict, Guid Direct, Guid Registration, Guid? Invitation)> DirectDealInACase(string domain, bool invited)
    {
        var close = DateOnly.FromDateTime(_harness.Time.GetUtcNow().UtcDateTime).AddDays(30);
        _harness.User.Is(DemoProgramme.Rep, Roles.Rep);
        var direct = await _harness.Send(new CreateOpportunity(new CustomerInput("Direct Line Inc", domain, "US"), new ContactInput("Dana Buyer", "dana@" + domain, null), new MoneyInput(250_000m, "USD"), close, null, null));
        var invitation = invited ? (await _harness.Send(new InvitePartner(direct.Id, DemoProgramme.Northwind, "Help us on this one."))).Id : (Guid?)null;
        _harness.User.Is(DemoProgramme.NorthwindUser, Roles.Partner, DemoProgramme.Northwind);
        var registration = await _harness.Send(new CreateRegistration(new CustomerInput("Direct Line Inc", domain, "US", null), ["Cloud"], new MoneyInput(90_000, "USD"), close, null));
        await _harness.Send(new SubmitRegistration(registration.Id));
        _harness.User.Is(DemoProgramme.Arbiter, Roles.Arbiter);
        var conflict = (await _harness.Send(new ListConflicts(ConflictStatus.Open, null, true, 1, 100))).Items.Single(c => c.Claims.Any(cl => cl.ClaimId == registration.Id)).Id;
        return (conflict, direct.Id, registration.Id, invitation);
    }

    private Task<Opportunity?> Stored(Guid opportunity) =>
        _harness.InScope(sp => sp.GetRequiredService<IRepository<Opportunity>>().GetByIdAsync(opportunity, CancellationToken.None));

    [Theory]
    [InlineData(DecisionKind.RejectAll)]
    [InlineData(DecisionKind.Award)]
    public async Task ADecisionKeepingADirectDeal_WhoseCasePartnerIsInvitedOntoItMeanwhile_StoresNothing_AndReadAgainEndsTheInvitation(DecisionKind kind)
    {
        var (conflict, direct, _, _) = await DirectDealInACase($"invited-meanwhile-{kind}.com".ToLowerInvariant(), invited: false);
        _harness.BeforeCommit = async () =>
        {
            _harness.User.Is(DemoProgramme.Rep, Roles.Rep);
            await _harness.Send(new InvitePartner(direct, DemoProgramme.Northwind, "Help us on this one."));
            _harness.User.Is(DemoProgramme.Arbiter, Roles.Arbiter);
        };
        var awarded = kind == DecisionKind.Award ? direct : (Guid?)null;

        // Before, the decision committed after the invitation, which stayed pending on the deal nobody co-sells.
        var decide = () => _harness.Send(new DecideConflict(conflict, kind, awarded, "The direct team keeps this customer."));

        (await decide.Should().ThrowAsync<DomainException>()).Which.Code.Should().Be("opportunity.changed");
        _harness.BeforeCommit.Should().BeNull("the invitation ran where it was meant to");
        await _harness.Send(new DecideConflict(conflict, kind, awarded, "The direct team keeps this customer."));
        (await Stored(direct))!.IsSeenBy(DemoProgramme.Northwind, _harness.Time.GetUtcNow()).Should().BeFalse("read again, the decision ends the case partner's invitation");
    }

    [Fact]
    public async Task ACoSellDecisionAwardingADirectDeal_WhoseInvitationIsRejectedMeanwhile_StoresNothing_AndReadAgainInvitesThePartnerAgain()
    {
        var (conflict, direct, _, invitation) = await DirectDealInACase("rejected-meanwhile.com", invited: true);
        _harness.BeforeCommit = async () =>
        {
            _harness.User.Is(DemoProgramme.NorthwindUser, Roles.Partner, DemoProgramme.Northwind);
            await _harness.Send(new RejectInvitation(invitation!.Value, "We would rather keep our own claim."));
            _harness.User.Is(DemoProgramme.Arbiter, Roles.Arbiter);
        };

        // Before, the decision committed after the rejection and named Northwind among those it co-sells with, uninvited.
        var decide = () => _harness.Send(new DecideConflict(conflict, DecisionKind.CoSell, direct, "The direct team leads; Northwind helps."));

        (await decide.Should().ThrowAsync<DomainException>()).Which.Code.Should().Be("opportunity.changed");
        _harness.BeforeCommit.Should().BeNull("the rejection ran where it was meant to");
        await _harness.Send(new DecideConflict(conflict, DecisionKind.CoSell, direct, "The direct team leads; Northwind helps."));
        (await Stored(direct))!.IsSeenBy(DemoProgramme.Northwind, _harness.Time.GetUtcNow()).Should().BeTrue("read again, the decision invites Northwind again");
    }

    [Fact]
    public async Task ARegistrationReturnedAndEditedToAnotherCompany_ClaimsItFromTheEdit_SoARivalWhoRegisteredItMeanwhileIsFirst()
    {
        var close = DateOnly.FromDateTime(_harness.Time.GetUtcNow().UtcDateTime).AddDays(30);
        _harness.User.Is(DemoProgramme.NorthwindUser, Roles.Partner, DemoProgramme.Northwind);
        var first = await _harness.Send(new CreateRegistration(new CustomerInput("Alpha Industries", "alpha-industries-first.com", "US", null), ["Cloud"], new MoneyInput(500_000, "USD"), close, null));
        var submitted = await _harness.Send(new SubmitRegistration(first.Id));
        _harness.User.Is(DemoProgramme.Manager, Roles.ChannelManager);
        await _harness.Send(new ReturnRegistration(first.Id, "Add the budget owner."));
        _harness.Time.Advance(TimeSpan.FromHours(1));
        _harness.User.Is(DemoProgramme.FabrikamUser, Roles.Partner, DemoProgramme.Fabrikam);
        var rival = await _harness.Send(new CreateRegistration(new CustomerInput("Beta Dynamics", "beta-dynamics-later.com", "DE", null), ["Cloud"], new MoneyInput(20_000, "USD"), close, null));
        await _harness.Send(new SubmitRegistration(rival.Id));
        _harness.Time.Advance(TimeSpan.FromHours(1));

        // A correction of the same company keeps the first submission's time; another company is claimed from the edit.
        _harness.User.Is(DemoProgramme.NorthwindUser, Roles.Partner, DemoProgramme.Northwind);
        var corrected = await _harness.Send(new UpdateRegistration(first.Id, new CustomerInput("Alpha Industries Inc", null, "US", null), null, null, null, null, (await _harness.Send(new GetRegistration(first.Id))).Version));
        corrected.SubmittedAt.Should().Be(submitted.SubmittedAt);
        var switched = await _harness.Send(new UpdateRegistration(first.Id, new CustomerInput("Beta Dynamics", "beta-dynamics-later.com", "US", null), null, null, null, null, corrected.Version));
        switched.SubmittedAt.Should().Be(_harness.Time.GetUtcNow());
        await _harness.Send(new SubmitRegistration(first.Id));

        _harness.User.Is(DemoProgramme.Arbiter, Roles.Arbiter);
        var conflict = (await _harness.Send(new ListConflicts(ConflictStatus.Open, null, true, 1, 100))).Items.Single(c => c.Claims.Any(cl => cl.ClaimId == rival.Id));
        conflict.RecommendedClaimId.Should().Be(rival.Id, "Fabrikam registered Beta Dynamics before Northwind did");
    }

    [Fact]
    public async Task Decision_NotifiesEveryPartyAndTheArbiter()
    {
        var (conflict, northwind, _) = await Collide("notify-parties.com");
        var before = _harness.Notifier.Conflicts.Count;
        _harness.User.Is(DemoProgramme.Arbiter, Roles.Arbiter);

        await _harness.Send(new DecideConflict(conflict, DecisionKind.Award, northwind, "Earlier claim."));

        var pushed = _harness.Notifier.Conflicts.Skip(before).Where(c => c.Message.ConflictId == conflict).ToList();
        pushed.Should().ContainSingle(p => p.Message.Change == "conflict.decided");
        var audience = pushed.Single(p => p.Message.Change == "conflict.decided").Audience;
        audience.PartnerIds.Should().BeEquivalentTo([DemoProgramme.Northwind, DemoProgramme.Fabrikam]);
        audience.UserIds.Should().Contain(DemoProgramme.Arbiter.ToString());
        pushed.Single(p => p.Message.Change == "conflict.decided").Message.Should().BeOfType<ConflictChangedMessage>()
            .Which.Status.Should().Be(ConflictStatus.Decided);
    }

    [Fact]
    public async Task ALaterPartnerClaim_JoinsTheOpenCaseOnThatCustomer()
    {
        var (conflict, _, _) = await Collide("three-way.com");
        var close = DateOnly.FromDateTime(_harness.Time.GetUtcNow().UtcDateTime).AddDays(30);
        _harness.User.Is(DemoProgramme.AdatumUser, Roles.Partner, DemoProgramme.Adatum);
        var third = await _harness.Send(new CreateRegistration(new CustomerInput("Case Study KK", "three-way.com", "JP", null), ["Cloud"], new MoneyInput(20_000, "USD"), close, null));

        var submitted = await _harness.Send(new SubmitRegistration(third.Id));

        submitted.Status.Should().Be(RegistrationStatus.InConflict);
        _harness.User.Is(DemoProgramme.Arbiter, Roles.Arbiter);
        (await _harness.Send(new GetConflict(conflict))).Claims.Select(c => c.ClaimId).Should().Contain(third.Id).And.HaveCount(3);
    }
}
