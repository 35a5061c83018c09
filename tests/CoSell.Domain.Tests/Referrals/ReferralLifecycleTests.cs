using CoSell.Domain.Customers;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Referrals;
using CoSell.Domain.SeedWork;

namespace CoSell.Domain.Tests.Referrals;

public sealed class ReferralLifecycleTests
{
    private static Referral Send(ReferralDirection direction = ReferralDirection.VendorToPartner, Money? value = null) =>
        Referral.Send(Guid.NewGuid(), direction, TestData.Partner(), "sender", TestData.Rep, TestData.Customer(), TestData.Contact, ["Cloud"], value ?? TestData.Usd(20_000), null, TestData.Rules, TestData.Now);

    public static TheoryData<ReferralStatus, ReferralAction> EveryMove()
    {
        var data = new TheoryData<ReferralStatus, ReferralAction>();
        foreach (var status in Enum.GetValues<ReferralStatus>())
        {
            foreach (var action in Enum.GetValues<ReferralAction>())
            {
                data.Add(status, action);
            }
        }

        return data;
    }

    [Fact]
    public void RouteTo_HandsOnlyAPartnersWaitingReferral_AndNamesTheUserItLeft()
    {
        var manager = Guid.NewGuid();
        var waiting = Send(ReferralDirection.PartnerToVendor);
        var sentByTheVendor = Send();
        var accepted = Send(ReferralDirection.PartnerToVendor);
        accepted.Accept("rep", TestData.Rep, TestData.Now.AddHours(1));

        foreach (var referral in new[] { waiting, sentByTheVendor, accepted })
        {
            referral.RouteTo(manager, "admin", TestData.Now.AddHours(2));
        }

        waiting.VendorUserId.Should().Be(manager);
        var handed = waiting.DomainEvents.OfType<ReferralEvent>().Last();
        (handed.Type, handed.FormerVendorUserId, handed.To).Should().Be(("referral.rerouted", TestData.Rep, ReferralStatus.Pending));
        handed.VendorUsers.Should().Equal(manager, TestData.Rep);
        sentByTheVendor.VendorUserId.Should().Be(TestData.Rep, "the rep who sent it answers for it");
        accepted.VendorUserId.Should().Be(TestData.Rep, "the user who accepted it answers for it");
        sentByTheVendor.DomainEvents.Should().HaveCount(1);
    }

    [Theory]
    [MemberData(nameof(EveryMove))]
    public void EveryStatusAndAction_FollowsTheTable(ReferralStatus status, ReferralAction action)
    {
        var referral = Send();
        Bring(referral, status);
        var allowed = ReferralLifecycle.TryMove(status, action, out var expected);
        var events = referral.DomainEvents.Count;

        Action act = action switch
        {
            ReferralAction.Accept => () => referral.Accept("p", null, TestData.Now.AddHours(1)),
            ReferralAction.Decline => () => referral.Decline(DeclineReason.NoCapacity, null, "p", TestData.Now.AddHours(1)),
            ReferralAction.Expire => () => referral.Expire(TestData.Now.AddHours(48)),
            _ => () => referral.RecordConversion(ReferralConversion.Registration, Guid.NewGuid(), "p", TestData.Now.AddHours(1)),
        };

        if (allowed)
        {
            act();
            referral.Status.Should().Be(expected);
            referral.DomainEvents.Should().HaveCount(events + 1);
            ((ReferralEvent)referral.DomainEvents[^1]).To.Should().Be(expected);
        }
        else
        {
            act.Should().Throw<DomainException>();
            referral.Status.Should().Be(status);
            referral.DomainEvents.Should().HaveCount(events);
        }
    }

    [Fact]
    public void Table_HasExactlyTheDocumentedMoves()
    {
        ReferralLifecycle.AllowedMoves.Should().BeEquivalentTo(new Dictionary<(ReferralStatus, ReferralAction), ReferralStatus>
        {
            [(ReferralStatus.Pending, ReferralAction.Accept)] = ReferralStatus.Accepted,
            [(ReferralStatus.Pending, ReferralAction.Decline)] = ReferralStatus.Declined,
            [(ReferralStatus.Pending, ReferralAction.Expire)] = ReferralStatus.Expired,
            [(ReferralStatus.Accepted, ReferralAction.Convert)] = ReferralStatus.Converted,
        });
    }

    [Fact]
    public void AcceptingTwice_IsADomainError()
    {
        var referral = Send();
        referral.Accept("p", null, TestData.Now);

        FluentActions.Invoking(() => referral.Accept("p", null, TestData.Now)).Should().Throw<DomainException>().Which.Code.Should().Be("referral.already_answered");
    }

    [Fact]
    public void Deadline_ComesFromTheRules_AndAnswersAfterItAreRefused()
    {
        var referral = Send();

        referral.AcceptBy.Should().Be(TestData.Now.AddHours(TestData.Rules.ReferralAcceptSlaHours));
        referral.IsOverdue(TestData.Now.AddHours(47)).Should().BeFalse();
        FluentActions.Invoking(() => referral.Accept("p", null, referral.AcceptBy)).Should().Throw<DomainException>().Which.Code.Should().Be("referral.expired");
        FluentActions.Invoking(() => referral.Decline(DeclineReason.Other, null, "p", referral.AcceptBy)).Should().Throw<DomainException>().Which.Code.Should().Be("referral.expired");
        FluentActions.Invoking(() => referral.RecordConversion(ReferralConversion.Registration, Guid.NewGuid(), "p", referral.AcceptBy)).Should().Throw<DomainException>().Which.Code.Should().Be("referral.expired");
        FluentActions.Invoking(() => referral.RecordConversion(ReferralConversion.Registration, Guid.NewGuid(), "p", referral.AcceptBy.AddTicks(-1))).Should().Throw<DomainException>().Which.Code.Should().Be("referral.not_accepted");
        var toVendor = Send(ReferralDirection.PartnerToVendor);
        FluentActions.Invoking(() => Opportunity.FromReferral(Guid.NewGuid(), toVendor, null, TestData.InDays(10), null, TestData.Rep, "rep", toVendor.AcceptBy)).Should().Throw<DomainException>().Which.Code.Should().Be("referral.expired");
        FluentActions.Invoking(() => referral.Expire(TestData.Now.AddHours(47))).Should().Throw<DomainException>().Which.Code.Should().Be("referral.not_overdue");
        referral.Expire(referral.AcceptBy);
        referral.Status.Should().Be(ReferralStatus.Expired);
        referral.DomainEvents[^1].Actor.Should().Be(Actors.System);
    }

    [Fact]
    public void Conversion_FollowsTheDirection_AndEventsNeverCarryTheContact()
    {
        var toPartner = Send(ReferralDirection.VendorToPartner);
        toPartner.Accept("p", null, TestData.Now);
        FluentActions.Invoking(() => toPartner.RecordConversion(ReferralConversion.Opportunity, Guid.NewGuid(), "p", TestData.Now)).Should().Throw<DomainException>()
            .Which.Code.Should().Be("referral.wrong_direction");
        FluentActions.Invoking(() => Opportunity.FromReferral(Guid.NewGuid(), toPartner, null, TestData.InDays(10), null, TestData.Rep, "rep", TestData.Now)).Should().Throw<DomainException>()
            .Which.Code.Should().Be("referral.wrong_direction");

        var toVendor = Send(ReferralDirection.PartnerToVendor);
        var acceptor = Guid.NewGuid();
        toVendor.Accept("rep", acceptor, TestData.Now);
        toVendor.VendorUserId.Should().Be(acceptor);
        var opportunity = Opportunity.FromReferral(Guid.NewGuid(), toVendor, null, TestData.InDays(10), null, TestData.Rep, "rep", TestData.Now);
        toVendor.RecordConversion(ReferralConversion.Opportunity, opportunity.Id, "rep", TestData.Now);

        opportunity.Source.Should().Be(OpportunitySource.Referral(toVendor.Id));
        opportunity.Contact.Should().Be(toVendor.Contact);
        toVendor.ConvertedId.Should().Be(opportunity.Id);
        toVendor.DomainEvents.Select(e => e.Summary).Should().NotContain(s => s.Contains("dana@contoso.com") || s.Contains("Dana Buyer"));
    }

    [Theory]
    [InlineData(ReferralStatus.Pending, "referral.not_accepted")]
    [InlineData(ReferralStatus.Declined, "referral.already_answered")]
    [InlineData(ReferralStatus.Expired, "referral.expired")]
    [InlineData(ReferralStatus.Converted, "referral.already_answered")]
    public void AnOpportunityIsMadeOfAnAcceptedReferralOnly_AndARefusalSaysWhatTheReferralIs(ReferralStatus status, string code)
    {
        var referral = Send(ReferralDirection.PartnerToVendor);
        if (status == ReferralStatus.Converted)
        {
            referral.Accept("rep", null, TestData.Now);
            referral.RecordConversion(ReferralConversion.Opportunity, Guid.NewGuid(), "rep", TestData.Now);
        }
        else
        {
            Bring(referral, status);
        }

        FluentActions.Invoking(() => Opportunity.FromReferral(Guid.NewGuid(), referral, null, TestData.InDays(10), null, TestData.Rep, "rep", TestData.Now))
            .Should().Throw<DomainException>().Which.Code.Should().Be(code, "as the referral's lifecycle answers any conversion of it");
        FluentActions.Invoking(() => referral.RecordConversion(ReferralConversion.Opportunity, Guid.NewGuid(), "rep", TestData.Now))
            .Should().Throw<DomainException>().Which.Code.Should().Be(code);
    }

    [Fact]
    public void Decline_NeedsAKnownReasonCode()
    {
        var referral = Send();

        FluentActions.Invoking(() => referral.Decline((DeclineReason)99, null, "p", TestData.Now)).Should().Throw<DomainValidationException>()
            .Which.Code.Should().Be("referral.reason_unknown");
        referral.Decline(DeclineReason.OutsideTerritory, "We do not sell in Alaska.", "p", TestData.Now);
        referral.DeclineReason.Should().Be(DeclineReason.OutsideTerritory);
    }

    [Theory]
    [InlineData("A", "al@example.com", null, "contact.name_invalid")]
    [InlineData("Alex Doe", null, null, "contact.unreachable")]
    [InlineData("Alex Doe", "not an email", null, "contact.email_invalid")]
    [InlineData("Alex Doe", null, "call me", "contact.phone_invalid")]
    [InlineData("Alex Doe", null, "123", "contact.phone_invalid")]
    public void Contact_IsValidatedByItsFactory(string name, string? email, string? phone, string code)
    {
        FluentActions.Invoking(() => CustomerContact.Create(name, email, phone)).Should().Throw<DomainValidationException>().Which.Code.Should().Be(code);
    }

    private static void Bring(Referral referral, ReferralStatus status)
    {
        switch (status)
        {
            case ReferralStatus.Accepted:
                referral.Accept("p", null, TestData.Now);
                break;
            case ReferralStatus.Declined:
                referral.Decline(DeclineReason.NotAFit, null, "p", TestData.Now);
                break;
            case ReferralStatus.Expired:
                referral.Expire(TestData.Now.AddHours(48));
                break;
            case ReferralStatus.Converted:
                referral.Accept("p", null, TestData.Now);
                referral.RecordConversion(ReferralConversion.Registration, Guid.NewGuid(), "p", TestData.Now);
                break;
        }
    }
}
