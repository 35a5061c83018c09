using CoSell.Domain.Customers;
using CoSell.Domain.Partners;
using CoSell.Domain.Registrations;
using CoSell.Domain.SeedWork;

namespace CoSell.Domain.Tests.Registrations;

public sealed class RegistrationLifecycleTests
{
    private static readonly DateTimeOffset Now = RegistrationBuilder.Now;

    public static TheoryData<RegistrationStatus, RegistrationAction> EveryPair()
    {
        var data = new TheoryData<RegistrationStatus, RegistrationAction>();
        foreach (var status in Enum.GetValues<RegistrationStatus>())
        {
            foreach (var action in Enum.GetValues<RegistrationAction>())
            {
                data.Add(status, action);
            }
        }

        return data;
    }

    /// <summary>
    /// The lifecycle as docs/ARCHITECTURE.md and the README write it, spelled out here rather than read from the table it
    /// checks: a move added to or lost from the table fails this, whatever the aggregate then does with it.
    /// </summary>
    [Fact]
    public void Table_HasExactlyTheDocumentedMoves()
    {
        RegistrationLifecycle.AllowedMoves.Should().BeEquivalentTo(new Dictionary<(RegistrationStatus, RegistrationAction), RegistrationStatus>
        {
            // Draft → Submitted → UnderReview → Approved | Rejected, or decided without a review started.
            [(RegistrationStatus.Draft, RegistrationAction.Submit)] = RegistrationStatus.Submitted,
            [(RegistrationStatus.Submitted, RegistrationAction.StartReview)] = RegistrationStatus.UnderReview,
            [(RegistrationStatus.Submitted, RegistrationAction.Approve)] = RegistrationStatus.Approved,
            [(RegistrationStatus.UnderReview, RegistrationAction.Approve)] = RegistrationStatus.Approved,
            [(RegistrationStatus.Submitted, RegistrationAction.Reject)] = RegistrationStatus.Rejected,
            [(RegistrationStatus.UnderReview, RegistrationAction.Reject)] = RegistrationStatus.Rejected,

            // Returned for action, and resubmitted into review, or rejected by a reviewer while the partner does not answer.
            [(RegistrationStatus.Submitted, RegistrationAction.Return)] = RegistrationStatus.ActionRequired,
            [(RegistrationStatus.UnderReview, RegistrationAction.Return)] = RegistrationStatus.ActionRequired,
            [(RegistrationStatus.ActionRequired, RegistrationAction.Submit)] = RegistrationStatus.UnderReview,
            [(RegistrationStatus.ActionRequired, RegistrationAction.Reject)] = RegistrationStatus.Rejected,

            // Held by a conflict case and decided by it; an approved claim keeps its protection until the decision, and a
            // reopening takes a decided claim back into the case.
            [(RegistrationStatus.Submitted, RegistrationAction.FlagConflict)] = RegistrationStatus.InConflict,
            [(RegistrationStatus.UnderReview, RegistrationAction.FlagConflict)] = RegistrationStatus.InConflict,
            [(RegistrationStatus.ActionRequired, RegistrationAction.FlagConflict)] = RegistrationStatus.InConflict,
            [(RegistrationStatus.InConflict, RegistrationAction.DecideConflictApprove)] = RegistrationStatus.Approved,
            [(RegistrationStatus.InConflict, RegistrationAction.DecideConflictReject)] = RegistrationStatus.Rejected,
            [(RegistrationStatus.Approved, RegistrationAction.DecideConflictApprove)] = RegistrationStatus.Approved,
            [(RegistrationStatus.Approved, RegistrationAction.DecideConflictReject)] = RegistrationStatus.Rejected,
            [(RegistrationStatus.Approved, RegistrationAction.ReopenConflict)] = RegistrationStatus.InConflict,
            [(RegistrationStatus.Rejected, RegistrationAction.ReopenConflict)] = RegistrationStatus.InConflict,

            // Withdrawn from any open state, Approved included; never from a decided or ended one.
            [(RegistrationStatus.Draft, RegistrationAction.Withdraw)] = RegistrationStatus.Withdrawn,
            [(RegistrationStatus.Submitted, RegistrationAction.Withdraw)] = RegistrationStatus.Withdrawn,
            [(RegistrationStatus.UnderReview, RegistrationAction.Withdraw)] = RegistrationStatus.Withdrawn,
            [(RegistrationStatus.ActionRequired, RegistrationAction.Withdraw)] = RegistrationStatus.Withdrawn,
            [(RegistrationStatus.InConflict, RegistrationAction.Withdraw)] = RegistrationStatus.Withdrawn,
            [(RegistrationStatus.Approved, RegistrationAction.Withdraw)] = RegistrationStatus.Withdrawn,

            // Approved → Won | Lost | Expired, extended while it lasts.
            [(RegistrationStatus.Approved, RegistrationAction.Extend)] = RegistrationStatus.Approved,
            [(RegistrationStatus.Approved, RegistrationAction.CloseWon)] = RegistrationStatus.Won,
            [(RegistrationStatus.Approved, RegistrationAction.CloseLost)] = RegistrationStatus.Lost,
            [(RegistrationStatus.Approved, RegistrationAction.Expire)] = RegistrationStatus.Expired,
        });
    }

    [Theory]
    [MemberData(nameof(EveryPair))]
    public void EveryActionInEveryState_MovesAsTheLifecycleTableSaysOrIsADomainError(RegistrationStatus from, RegistrationAction action)
    {
        var builder = new RegistrationBuilder();
        var registration = builder.In(from);
        var allowed = RegistrationLifecycle.TryMove(from, action, out var expected);

        var act = () => Perform(registration, builder, action);

        if (allowed)
        {
            act();
            registration.Status.Should().Be(expected);
            registration.DomainEvents.Should().NotBeEmpty("every transition is an event and an audit entry");
            registration.DomainEvents.OfType<RegistrationEvent>().First().From.Should().Be(from);
        }
        else
        {
            var code = act.Should().Throw<DomainException>().Which.Code;
            if (from == RegistrationStatus.Expired && action == RegistrationAction.Extend)
            {
                code.Should().Be("registration.protection_ended", "an expired registration is refused as one whose window ended and is not yet written expired");
            }
            else
            {
                code.Should().BeOneOf("registration.illegal_transition", "registration.not_open", "registration.not_expired");
            }
            registration.Status.Should().Be(from, "an illegal transition changes nothing");
            registration.DomainEvents.Should().BeEmpty();
        }
    }

    [Fact]
    public void Submit_UnderTheAutoApproveCeilingWithNoCollision_ApprovesAtOnce()
    {
        var builder = new RegistrationBuilder().ForTier(PartnerTier.Silver).Worth(10_000m);
        var registration = builder.Draft();

        registration.Submit(builder.Partner, RegistrationBuilder.Rules, DuplicateAssessment.Clear, "user-1", Now);

        registration.Status.Should().Be(RegistrationStatus.Approved);
        registration.AutoApproved.Should().BeTrue();
        registration.ProtectionEndsAt.Should().Be(Now.AddDays(90));
        registration.DomainEvents.Select(e => e.Type).Should().Equal("registration.drafted", "registration.submitted", "registration.approved");
        registration.DomainEvents.Last().Actor.Should().Be(Actors.System);
        registration.DomainEvents.Last().Summary.Should().Be("Approved automatically; protected until 2027-02-23T09:00:00Z. Under the auto-approve ceiling, in the partner's territories, and no claim collides.", "the line says once how it was approved, then why");
    }

    [Fact]
    public void Submit_ApprovedAutomatically_SetsNoReviewDueTime()
    {
        var builder = new RegistrationBuilder().ForTier(PartnerTier.Silver).Worth(10_000m);
        var registration = builder.Draft();

        registration.Submit(builder.Partner, RegistrationBuilder.Rules, DuplicateAssessment.Clear, "user-1", Now);

        registration.Status.Should().Be(RegistrationStatus.Approved);
        registration.ReviewDueAt.Should().BeNull("no channel manager ever had to review it");
        registration.AwaitsReview.Should().BeFalse();
        registration.DomainEvents.OfType<RegistrationEvent>().Single(e => e.Type == "registration.submitted").Summary
            .Should().Be("Submitted under rules v1 as Silver; duplicate check: clear.");
    }

    [Theory]
    [InlineData(RegistrationStatus.Submitted, true)]
    [InlineData(RegistrationStatus.UnderReview, true)]
    [InlineData(RegistrationStatus.ActionRequired, false)]
    [InlineData(RegistrationStatus.InConflict, false)]
    [InlineData(RegistrationStatus.Approved, false)]
    [InlineData(RegistrationStatus.Rejected, false)]
    [InlineData(RegistrationStatus.Withdrawn, false)]
    public void AwaitsReview_OnlyWhileInAReviewQueue(RegistrationStatus status, bool awaits) =>
        new RegistrationBuilder().In(status).AwaitsReview.Should().Be(awaits);

    [Theory]
    [InlineData(RegistrationStatus.Approved, "registration.illegal_transition")]
    [InlineData(RegistrationStatus.Rejected, "registration.not_open")]
    [InlineData(RegistrationStatus.Withdrawn, "registration.not_open")]
    public void Submit_OfARegistrationNotOpenForIt_IsTheLifecyclesRefusalWhateverItsCloseDate(RegistrationStatus status, string code)
    {
        var builder = new RegistrationBuilder();
        var registration = builder.In(status);
        var version = registration.Version;
        var dayAfterClose = new DateTimeOffset(registration.ExpectedCloseDate.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        var submit = () => registration.Submit(builder.Partner, RegistrationBuilder.Rules, DuplicateAssessment.Clear, "user-1", dayAfterClose);

        submit.Should().Throw<DomainException>().Which.Should().NotBeOfType<DomainValidationException>("the close date is not what is wrong")
            .And.Subject.As<DomainException>().Code.Should().Be(code);
        registration.Status.Should().Be(status);
        registration.Version.Should().Be(version);
    }

    [Theory]
    [InlineData(RegistrationStatus.Submitted)]
    [InlineData(RegistrationStatus.UnderReview)]
    public void Approve_AfterTheExpectedCloseDate_IsRefusedAndChangesNothing(RegistrationStatus status)
    {
        var builder = new RegistrationBuilder();
        var registration = builder.In(status);
        var version = registration.Version;
        var dayAfterClose = new DateTimeOffset(registration.ExpectedCloseDate.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        var approve = () => registration.Approve(RegistrationBuilder.Rules.For(PartnerTier.Gold), "manager", dayAfterClose);

        approve.Should().Throw<DomainException>().Which.Code.Should().Be("registration.close_date_passed");
        registration.Status.Should().Be(status);
        registration.ProtectionEndsAt.Should().BeNull("no window opens for a deal that should already have closed");
        registration.Version.Should().Be(version);
        registration.DomainEvents.Should().BeEmpty();
    }

    // Before, only the partner could end a claim returned for action (by withdrawing it): one that never answered held the
    // customer for as long as it liked.
    [Fact]
    public void Reject_OfARegistrationReturnedForAction_EndsItsClaim_WithTheReasonOnItsTimeline()
    {
        var registration = new RegistrationBuilder().In(RegistrationStatus.ActionRequired);
        registration.ClearDomainEvents();

        registration.Reject(RejectionReason.InsufficientInformation, "No answer in three weeks", "manager", Now.AddDays(21));

        registration.Status.Should().Be(RegistrationStatus.Rejected);
        RegistrationLifecycle.ActiveClaim.Should().NotContain(registration.Status);
        registration.DomainEvents.OfType<RegistrationEvent>().Should().ContainSingle()
            .Which.Should().Match<RegistrationEvent>(e => e.From == RegistrationStatus.ActionRequired && e.Summary.Contains("No answer in three weeks"));
    }

    // Before, an edit judged the stored close date again, though it did not change it: a returned registration whose date
    // had passed took no fix at all but a new date first.
    [Fact]
    public void Edit_ThatLeavesAPassedCloseDateAsItWas_IsTaken_AndTheResubmissionIsRefusedUntilTheDateMovesOn()
    {
        var builder = new RegistrationBuilder();
        var registration = builder.In(RegistrationStatus.ActionRequired);
        var closeDate = registration.ExpectedCloseDate;
        var later = new DateTimeOffset(closeDate.AddDays(3).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var withDuns = Customer.Create("Acme Corporation", "acme.com", "US", "123456789");

        registration.Edit(withDuns, ["Security"], registration.EstimatedValue, closeDate, null, "user-1", later);

        registration.Customer.Duns.ToString().Should().Be("123456789");
        var resubmit = () => registration.Submit(builder.Partner, RegistrationBuilder.Rules, DuplicateAssessment.Clear, "user-1", later);
        resubmit.Should().Throw<DomainValidationException>().Which.Code.Should().Be("registration.close_date_invalid");
        var moved = () => registration.Edit(withDuns, ["Security"], registration.EstimatedValue, closeDate.AddDays(1), null, "user-1", later);
        moved.Should().Throw<DomainValidationException>("a date changed is judged, and this one has passed too").Which.Code.Should().Be("registration.close_date_invalid");
        registration.Edit(withDuns, ["Security"], registration.EstimatedValue, closeDate.AddDays(30), null, "user-1", later);
        resubmit();
        registration.Status.Should().Be(RegistrationStatus.UnderReview);
    }

    [Fact]
    public void Approve_OnTheExpectedCloseDay_OpensProtection()
    {
        var registration = new RegistrationBuilder().In(RegistrationStatus.UnderReview);
        var lastMinuteOfCloseDay = new DateTimeOffset(registration.ExpectedCloseDate.ToDateTime(new TimeOnly(23, 59)), TimeSpan.Zero);

        registration.Approve(RegistrationBuilder.Rules.For(PartnerTier.Gold), "manager", lastMinuteOfCloseDay);

        registration.Status.Should().Be(RegistrationStatus.Approved, "the close day is judged as the UTC day, as on creation");
    }

    [Fact]
    public void Approve_ARegistrationNoLongerOpen_SaysSoWhateverItsCloseDate()
    {
        var registration = new RegistrationBuilder().In(RegistrationStatus.Rejected);

        var approve = () => registration.Approve(RegistrationBuilder.Rules.For(PartnerTier.Gold), "manager", Now.AddYears(1));

        approve.Should().Throw<DomainException>().Which.Code.Should().Be("registration.not_open");
    }

    [Fact]
    public void ResolveConflict_AwardedAfterTheExpectedCloseDate_StillApproves()
    {
        var registration = new RegistrationBuilder().In(RegistrationStatus.InConflict);
        var decidedAt = Now.AddDays(90);

        registration.ResolveConflict(true, RegistrationBuilder.Rules.For(PartnerTier.Gold), "first to register", "arbiter", decidedAt);

        registration.Status.Should().Be(RegistrationStatus.Approved, "the case settles who holds the customer; its claim cannot be returned for a new date");
        registration.ProtectionEndsAt.Should().Be(decidedAt.AddDays(120));
    }

    [Fact]
    public void AwardedAgainAfterAReopenedCase_KeepsItsWindowAndTheExtensionsItUsed()
    {
        var builder = new RegistrationBuilder().ForTier(PartnerTier.Gold);
        var policy = RegistrationBuilder.Rules.For(PartnerTier.Gold);
        var registration = builder.In(RegistrationStatus.InConflict);
        registration.ResolveConflict(true, policy, "first to register", "arbiter", Now);
        registration.Extend(policy, "manager", Now.AddDays(1));
        var window = registration.ProtectionEndsAt;

        registration.ReopenConflict("admin", Now.AddDays(2));
        registration.ResolveConflict(true, policy, "still first", "arbiter", Now.AddDays(3));

        registration.Status.Should().Be(RegistrationStatus.Approved);
        registration.ProtectionEndsAt.Should().Be(window, "a second award is no fresh window");
        registration.ExtensionsUsed.Should().Be(1);
    }

    [Fact]
    public void Submit_ForACustomerOutsideThePartnersTerritories_WaitsForAReviewerAndSaysWhy()
    {
        var builder = new RegistrationBuilder().ForTier(PartnerTier.Silver).Worth(10_000m).In("JP", "US", "CA");
        var registration = builder.Draft();
        registration.ClearDomainEvents();

        registration.Submit(builder.Partner, RegistrationBuilder.Rules, DuplicateAssessment.Clear, "user-1", Now);

        registration.Status.Should().Be(RegistrationStatus.Submitted, "small and clean, but not in a country the partner sells in");
        registration.AutoApproved.Should().BeFalse();
        registration.DomainEvents.Single().Summary.Should().Contain("a reviewer decides: the customer's country JP is outside the partner's territories (CA, US)");
    }

    [Theory]
    [InlineData(PartnerTier.Silver, 60_000, "USD", "not under the Silver auto-approve ceiling of 25,000 USD")]
    [InlineData(PartnerTier.Silver, 10_000, "EUR", "the value is in EUR, and only deals in USD are approved automatically")]
    [InlineData(PartnerTier.Registered, 1_000, "USD", "Registered deals are never approved automatically")]
    public void Submit_ThatWaitsForAReviewer_SaysWhyOnTheTimeline(PartnerTier tier, decimal amount, string currency, string reason)
    {
        var builder = new RegistrationBuilder().ForTier(tier).Worth(amount, currency);
        var registration = builder.Draft();
        registration.ClearDomainEvents();

        registration.Submit(builder.Partner, RegistrationBuilder.Rules, DuplicateAssessment.Clear, "user-1", Now);

        registration.Status.Should().Be(RegistrationStatus.Submitted);
        registration.DomainEvents.Single().Summary.Should().Contain(reason);
    }

    [Fact]
    public void AnEditThatChangesNothing_RaisesNothing_AndKeepsTheVersion()
    {
        var registration = new RegistrationBuilder().Draft();
        registration.ClearDomainEvents();
        var version = registration.Version;
        var updatedAt = registration.UpdatedAt;

        registration.Edit(registration.Customer, [.. registration.ProductLines], registration.EstimatedValue, registration.ExpectedCloseDate, registration.Notes, "user-1", Now.AddHours(1));

        registration.DomainEvents.Should().BeEmpty();
        registration.Version.Should().Be(version);
        registration.UpdatedAt.Should().Be(updatedAt);

        registration.Edit(registration.Customer, ["Security", "Cloud"], registration.EstimatedValue, registration.ExpectedCloseDate, registration.Notes, "user-1", Now.AddHours(2));

        registration.DomainEvents.Select(e => e.Type).Should().Equal("registration.edited");
        registration.Version.Should().Be(version + 1);
    }

    [Fact]
    public void APartnerUpdateThatChangesNothing_RaisesNothing_AndKeepsTheVersion()
    {
        var partner = Partner.Create(Guid.NewGuid(), "Northwind Systems", PartnerTier.Gold, ["US", "CA"], Guid.NewGuid(), "admin", Now);
        partner.ClearDomainEvents();
        var version = partner.Version;

        partner.Update("Northwind Systems", PartnerTier.Gold, ["CA", "US"], null, PartnerStatus.Active, "admin", Now);

        partner.DomainEvents.Should().BeEmpty();
        partner.Version.Should().Be(version);
        partner.Update(null, PartnerTier.Platinum, null, null, null, "admin", Now);
        partner.Version.Should().Be(version + 1);
    }

    [Fact]
    public void Submit_WhenAnotherClaimCollides_DoesNotAutoApprove()
    {
        var builder = new RegistrationBuilder().ForTier(PartnerTier.Silver).Worth(10_000m);
        var registration = builder.Draft();

        registration.Submit(builder.Partner, RegistrationBuilder.Rules, new DuplicateAssessment(DuplicateVerdict.Likely, 1, ["same registrable domain acme.com"]), "user-1", Now);

        registration.Status.Should().Be(RegistrationStatus.Submitted);
        registration.Duplicate.Verdict.Should().Be(DuplicateVerdict.Likely);
    }

    [Theory]
    [InlineData(PartnerTier.Registered, 60_000, "USD")]
    [InlineData(PartnerTier.Silver, 30_000, "USD")]
    [InlineData(PartnerTier.Gold, 10_000, "EUR")]
    public void Submit_AboveTheCeilingOrInAnotherCurrencyOrForRegisteredTier_WaitsForReview(PartnerTier tier, decimal amount, string currency)
    {
        var builder = new RegistrationBuilder().ForTier(tier).Worth(amount, currency);
        var registration = builder.Draft();

        registration.Submit(builder.Partner, RegistrationBuilder.Rules, DuplicateAssessment.Clear, "user-1", Now);

        registration.Status.Should().Be(RegistrationStatus.Submitted);
        registration.ReviewerId.Should().Be(builder.Partner.ChannelManagerId);
        registration.ReviewDueAt.Should().Be(Now.AddHours(48));
        registration.RulesVersion.Should().Be(1);
    }

    [Theory]
    [InlineData(RegistrationStatus.Submitted, true)]
    [InlineData(RegistrationStatus.UnderReview, true)]
    [InlineData(RegistrationStatus.ActionRequired, true)]
    [InlineData(RegistrationStatus.Approved, false)]
    [InlineData(RegistrationStatus.Draft, false)]
    public void RouteTo_HandsOverOnlyARegistrationWaitingForAChannelManager(RegistrationStatus status, bool handedOver)
    {
        var builder = new RegistrationBuilder().Worth(200_000m);
        var registration = builder.In(status);
        var before = registration.ReviewerId;
        var version = registration.Version;
        var next = Guid.NewGuid();

        registration.RouteTo(next, "admin", Now);

        registration.ReviewerId.Should().Be(handedOver ? next : before);
        registration.Status.Should().Be(status);
        registration.Version.Should().Be(handedOver ? version + 1 : version);
        registration.RouteTo(registration.ReviewerId, "admin", Now);
        registration.Version.Should().Be(handedOver ? version + 1 : version, "routing to the reviewer it has changes nothing");
    }

    [Fact]
    public void EveryChangeOfOneCommand_CarriesWhereTheRegistrationStoodForReviewWhenTheCommandBegan()
    {
        var builder = new RegistrationBuilder().ForTier(PartnerTier.Silver).Worth(10_000m);
        var registration = builder.Draft();
        registration.ClearDomainEvents();

        registration.Submit(builder.Partner, RegistrationBuilder.Rules, DuplicateAssessment.Clear, "user-1", Now);

        registration.Status.Should().Be(RegistrationStatus.Approved);
        registration.DomainEvents.OfType<RegistrationEvent>().Select(e => e.Before).Should()
            .Equal([new ReviewStanding(RegistrationStatus.Draft, null), new ReviewStanding(RegistrationStatus.Draft, null)], "approved at once, it stood in no queue");

        var waiting = new RegistrationBuilder().Worth(200_000m);
        var submitted = waiting.In(RegistrationStatus.Submitted);
        var manager = submitted.ReviewerId;
        submitted.Reject(RejectionReason.NotQualified, null, "manager", Now);
        submitted.DomainEvents.OfType<RegistrationEvent>().Should().ContainSingle().Which.Before.Should().Be(new ReviewStanding(RegistrationStatus.Submitted, manager));
    }

    [Fact]
    public void AChangeAfterATakeUp_CarriesTheSharedQueueTheRegistrationStoodIn()
    {
        var registration = new RegistrationBuilder().Worth(200_000m).In(RegistrationStatus.Submitted);
        var manager = registration.ReviewerId;
        registration.RouteTo(null, "admin", Now);
        registration.DomainEvents.OfType<RegistrationEvent>().Single().Before.Should().Be(new ReviewStanding(RegistrationStatus.Submitted, manager));
        registration.ClearDomainEvents();
        var takenUpBy = Guid.NewGuid();

        registration.TakeUp(takenUpBy);
        registration.StartReview(takenUpBy.ToString(), Now);

        registration.ReviewerId.Should().Be(takenUpBy);
        registration.DomainEvents.OfType<RegistrationEvent>().Single().Before.Should().Be(new ReviewStanding(RegistrationStatus.Submitted, null));
        registration.ClearDomainEvents();

        registration.Approve(RegistrationBuilder.Rules.For(PartnerTier.Gold), takenUpBy.ToString(), Now);
        registration.DomainEvents.OfType<RegistrationEvent>().Single().Before.Should().Be(new ReviewStanding(RegistrationStatus.UnderReview, takenUpBy), "the next command begins where the last left it");
    }

    [Fact]
    public void Submit_BelowTheTierMinimum_IsRefused()
    {
        var builder = new RegistrationBuilder().Worth(500m);
        var registration = builder.Draft();

        var act = () => registration.Submit(builder.Partner, RegistrationBuilder.Rules, DuplicateAssessment.Clear, "user-1", Now);

        act.Should().Throw<DomainException>().Which.Code.Should().Be("registration.below_minimum_value");
        registration.Status.Should().Be(RegistrationStatus.Draft);
    }

    [Fact]
    public void Submit_InAnotherCurrency_IsHeldToNoMinimum_ButReviewedByAPerson_AsTheRulesSayInPlainWords()
    {
        var builder = new RegistrationBuilder().Worth(1m, "JPY");
        var registration = builder.Draft();

        registration.Submit(builder.Partner, RegistrationBuilder.Rules, DuplicateAssessment.Clear, "user-1", Now);

        registration.Status.Should().Be(RegistrationStatus.Submitted, "no exchange rate says what 1 JPY is in USD, so a channel manager decides");
        RegistrationBuilder.Rules.Explain().Should().Contain(line => line.Contains("a deal in another currency is held to no minimum"));
    }

    [Fact]
    public void Extend_MovesProtectionWithinTheTierLimits_ThenRefuses()
    {
        var builder = new RegistrationBuilder().ForTier(PartnerTier.Gold);
        var registration = builder.In(RegistrationStatus.Approved);
        var policy = RegistrationBuilder.Rules.For(PartnerTier.Gold);
        var end = registration.ProtectionEndsAt!.Value;

        registration.Extend(policy, "manager", Now);
        registration.Extend(policy, "manager", Now);
        var third = () => registration.Extend(policy, "manager", Now);

        registration.ProtectionEndsAt.Should().Be(end.AddDays(60));
        third.Should().Throw<DomainException>().Which.Code.Should().Be("registration.extension_limit");
        registration.ExtensionsUsed.Should().Be(2);
    }

    [Fact]
    public void OpenedAsOpportunity_IsATimelineEntryWithTheSameStatusOnBothSides_AndMovesTheVersionOn()
    {
        var registration = new RegistrationBuilder().In(RegistrationStatus.Approved);
        registration.ClearDomainEvents();
        var version = registration.Version;
        var opportunityId = Guid.CreateVersion7();

        registration.OpenedAsOpportunity(opportunityId, "rep", Now.AddDays(1));

        registration.Status.Should().Be(RegistrationStatus.Approved);
        registration.Version.Should().Be(version + 1, "a recorded change moves the version on");
        registration.UpdatedAt.Should().Be(Now.AddDays(1));
        var change = registration.DomainEvents.OfType<RegistrationEvent>().Single();
        change.Type.Should().Be("registration.opportunity_opened");
        change.From.Should().Be(RegistrationStatus.Approved);
        change.To.Should().Be(RegistrationStatus.Approved);
        change.Actor.Should().Be("rep");
        change.Summary.Should().Contain(opportunityId.ToString());
        ((IDomainEvent)change).Audience.Should().Be(EventAudience.Everyone, "the registering partner reads it on the registration's timeline");
    }

    [Theory]
    [InlineData(RegistrationStatus.Submitted)]
    [InlineData(RegistrationStatus.InConflict)]
    [InlineData(RegistrationStatus.Won)]
    public void OpenedAsOpportunity_WhileNotApproved_IsRefused(RegistrationStatus status)
    {
        var registration = new RegistrationBuilder().In(status);
        registration.ClearDomainEvents();

        var act = () => registration.OpenedAsOpportunity(Guid.CreateVersion7(), "rep", Now);

        act.Should().Throw<DomainException>().Which.Code.Should().Be("opportunity.registration_not_approved");
        registration.DomainEvents.Should().BeEmpty();
    }

    [Fact]
    public void RegisteredTier_CannotBeExtendedAtAll()
    {
        var registration = new RegistrationBuilder().ForTier(PartnerTier.Registered).In(RegistrationStatus.Approved);
        var act = () => registration.Extend(RegistrationBuilder.Rules.For(PartnerTier.Registered), "manager", Now);
        act.Should().Throw<DomainException>().Which.Code.Should().Be("registration.extension_limit");
    }

    [Fact]
    public void Expire_BeforeProtectionEnds_IsRefused()
    {
        var registration = new RegistrationBuilder().In(RegistrationStatus.Approved);
        var act = () => registration.Expire(registration.ProtectionEndsAt!.Value.AddSeconds(-1));
        act.Should().Throw<DomainException>().Which.Code.Should().Be("registration.not_expired");
    }

    [Fact]
    public void Close_AsLostWithoutReason_IsRefused()
    {
        var registration = new RegistrationBuilder().In(RegistrationStatus.Approved);
        var act = () => registration.Close(CloseOutcome.Lost, null, null, "user-1", Now);
        act.Should().Throw<DomainValidationException>().Which.Code.Should().Be("registration.loss_reason_required");
        registration.Status.Should().Be(RegistrationStatus.Approved);
    }

    [Fact]
    public void Edit_OutsideDraftOrActionRequired_IsRefused()
    {
        var registration = new RegistrationBuilder().In(RegistrationStatus.Submitted);
        var act = () => registration.Edit(registration.Customer, ["Cloud"], registration.EstimatedValue, registration.ExpectedCloseDate, null, "user-1", Now);
        act.Should().Throw<DomainException>().Which.Code.Should().Be("registration.not_editable");
    }

    [Fact]
    public void Version_MovesOncePerUnitOfWork()
    {
        var registration = new RegistrationBuilder().In(RegistrationStatus.Submitted);
        var before = registration.Version;

        registration.StartReview("manager", Now);
        registration.ReturnForAction("More detail", "manager", Now);

        registration.Version.Should().Be(before + 1);
    }

    private static void Perform(DealRegistration r, RegistrationBuilder builder, RegistrationAction action)
    {
        var policy = RegistrationBuilder.Rules.For(PartnerTier.Gold);
        switch (action)
        {
            case RegistrationAction.Submit: r.Submit(builder.Partner, RegistrationBuilder.Rules, DuplicateAssessment.Clear, "user-1", Now); break;
            case RegistrationAction.StartReview: r.StartReview("manager", Now); break;
            case RegistrationAction.Approve: r.Approve(policy, "manager", Now); break;
            case RegistrationAction.Reject: r.Reject(RejectionReason.Other, null, "manager", Now); break;
            case RegistrationAction.Return: r.ReturnForAction("Fix it", "manager", Now); break;
            case RegistrationAction.FlagConflict: r.FlagConflict("same domain", "system", Now); break;
            case RegistrationAction.DecideConflictApprove: r.ResolveConflict(true, policy, "first to register", "arbiter", Now); break;
            case RegistrationAction.DecideConflictReject: r.ResolveConflict(false, policy, "later claim", "arbiter", Now); break;
            case RegistrationAction.ReopenConflict: r.ReopenConflict("admin", Now); break;
            case RegistrationAction.Withdraw: r.Withdraw(null, "user-1", Now); break;
            case RegistrationAction.Extend: r.Extend(policy, "manager", Now); break;
            case RegistrationAction.CloseWon: r.Close(CloseOutcome.Won, null, null, "user-1", Now); break;
            case RegistrationAction.CloseLost: r.Close(CloseOutcome.Lost, LossReason.Budget, null, "user-1", Now); break;
            case RegistrationAction.Expire: r.Expire(r.ProtectionEndsAt ?? Now.AddYears(1)); break;
            default: throw new ArgumentOutOfRangeException(nameof(action));
        }
    }
}
