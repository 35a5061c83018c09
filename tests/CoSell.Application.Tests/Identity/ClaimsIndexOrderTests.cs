using CoSell.Application.Abstractions;
using CoSell.Application.DuplicateChecks;
using CoSell.Application.Opportunities;
using CoSell.Application.Registrations;
using CoSell.Domain.Customers.Identity;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Registrations;
using CoSell.Domain.Users;
using CoSell.Infrastructure.Seeding;
using Microsoft.Extensions.DependencyInjection;

namespace CoSell.Application.Tests.Identity;

/// <summary>
/// Requests publish their commits in no guaranteed order: news of an earlier commit that comes after a later one's must
/// not put back in the index a claim the later commit ended.
/// </summary>
public sealed class ClaimsIndexOrderTests : IClassFixture<Harness>
{
    private readonly Harness _harness;

    public ClaimsIndexOrderTests(Harness harness) => _harness = harness;

    [Fact]
    public async Task NewsOfAnEarlierCommit_ArrivingAfterTheWithdrawal_DoesNotFileTheClaimAgain()
    {
        _harness.User.Is(DemoProgramme.NorthwindUser, Roles.Partner, DemoProgramme.Northwind);
        var created = await _harness.Send(new CreateRegistration(
            new CustomerInput("Out Of Order Shipping Ltd", "out-of-order-shipping.example", "GB", null),
            ["Security"],
            new MoneyInput(250_000m, "USD"),
            DateOnly.FromDateTime(_harness.Time.GetUtcNow().UtcDateTime).AddDays(40),
            null));
        var submitted = await _harness.Send(new SubmitRegistration(created.Id));
        var index = _harness.Services.GetRequiredService<ClaimsIndex>();
        index.Contains(created.Id).Should().BeTrue("a submitted registration is a live claim");

        // A request that committed the submission holds the registration as it left it, and has not published yet.
        using var slow = _harness.Services.CreateScope();
        var asSubmitted = await slow.ServiceProvider.GetRequiredService<IRepository<DealRegistration>>().GetByIdAsync(created.Id, CancellationToken.None);
        asSubmitted!.Version.Should().Be(submitted.Version);

        // Meanwhile the partner withdraws it: committed and published first.
        await _harness.Send(new WithdrawRegistration(created.Id, "Customer went elsewhere"));
        index.Contains(created.Id).Should().BeFalse();

        // Then the slow request's news comes.
        var late = new RegistrationEvent(created.Id, DemoProgramme.Northwind, "registration.submitted", RegistrationStatus.Draft, RegistrationStatus.Submitted,
            "Submitted", DemoProgramme.NorthwindUser.ToString(), _harness.Time.GetUtcNow());
        await ActivatorUtilities.CreateInstance<KeepClaimsIndexCurrent>(slow.ServiceProvider).Handle(new DomainEventNotification<RegistrationEvent>(late), CancellationToken.None);

        index.Contains(created.Id).Should().BeFalse("the withdrawal is the later version: the claim stays out");
    }

    [Fact]
    public async Task NewsOfAnEarlierCommit_ArrivingAfterADirectOpportunityClosed_DoesNotFileItAgain()
    {
        _harness.User.Is(DemoProgramme.Rep, Roles.Rep);
        var opened = await _harness.Send(new CreateOpportunity(new CustomerInput("Late Stage Freight Ltd", "late-stage-freight.example", "GB", null), null,
            new MoneyInput(90_000m, "GBP"), DateOnly.FromDateTime(_harness.Time.GetUtcNow().UtcDateTime).AddDays(50), null, null));
        var index = _harness.Services.GetRequiredService<ClaimsIndex>();
        index.Contains(opened.Id).Should().BeTrue("an open direct opportunity is a live claim");

        using var slow = _harness.Services.CreateScope();
        var asOpened = await slow.ServiceProvider.GetRequiredService<IRepository<Opportunity>>().GetByIdAsync(opened.Id, CancellationToken.None);
        await _harness.Send(new UpdateOpportunity(opened.Id, OpportunityStage.ClosedLost, null, null, null, null, null, opened.Version));
        index.Contains(opened.Id).Should().BeFalse();

        var late = new OpportunityEvent(opened.Id, "opportunity.created", "Opened", DemoProgramme.Rep.ToString(), _harness.Time.GetUtcNow(),
            Domain.SeedWork.EventAudience.Everyone, asOpened!.Version, asOpened.Stage);
        await ActivatorUtilities.CreateInstance<KeepClaimsIndexCurrent>(slow.ServiceProvider).Handle(new DomainEventNotification<OpportunityEvent>(late), CancellationToken.None);

        index.Contains(opened.Id).Should().BeFalse("the close is the later version: the claim stays out");
    }
}
