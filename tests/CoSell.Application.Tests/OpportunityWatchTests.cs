using CoSell.Application.Abstractions;
using CoSell.Application.Opportunities;
using CoSell.Application.Registrations;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Users;
using CoSell.Infrastructure.Persistence;
using CoSell.Infrastructure.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CoSell.Application.Tests;

/// <summary>The live feed's check is asked of the database in one read: it must answer as the opportunity policy does.</summary>
public sealed class OpportunityWatchTests : IClassFixture<Harness>
{
    private readonly Harness _harness;

    public OpportunityWatchTests(Harness harness) => _harness = harness;

    [Fact]
    public async Task TheWatchCheck_GrantsExactlyWhomThePolicyLetsWatch_AndNothingForAnIdThatDoesNotExist()
    {
        _harness.User.Is(DemoProgramme.Rep, Roles.Rep);
        var close = DateOnly.FromDateTime(_harness.Time.GetUtcNow().UtcDateTime).AddDays(30);
        var opportunity = await _harness.Send(new CreateOpportunity(new CustomerInput("Watched Feed Ltd", "watched-feed.co.uk", "GB", null), null, new MoneyInput(70_000m, "GBP"), close, null, null));
        var accepted = await _harness.Send(new InvitePartner(opportunity.Id, DemoProgramme.Northwind, null, opportunity.Version));
        var pending = await _harness.Send(new InvitePartner(opportunity.Id, DemoProgramme.Adatum, null, accepted.OpportunityVersion));
        _harness.User.Is(DemoProgramme.NorthwindUser, Roles.Partner, DemoProgramme.Northwind);
        await _harness.Send(new AcceptInvitation(accepted.Id, pending.OpportunityVersion));

        Viewer[] viewers =
        [
            new(DemoProgramme.NorthwindUser.ToString(), Roles.Partner, DemoProgramme.Northwind),
            new(DemoProgramme.AdatumUser.ToString(), Roles.Partner, DemoProgramme.Adatum),
            new(DemoProgramme.FabrikamUser.ToString(), Roles.Partner, DemoProgramme.Fabrikam),
            new(DemoProgramme.Rep.ToString(), Roles.Rep, null),
            new(Guid.NewGuid().ToString(), Roles.Rep, null),
            new(DemoProgramme.Manager.ToString(), Roles.ChannelManager, null),
            new(DemoProgramme.Admin.ToString(), Roles.Admin, null),
            new(DemoProgramme.Arbiter.ToString(), Roles.Arbiter, null),
        ];
        var stored = await _harness.InScope(services => services.GetRequiredService<CoSellDbContext>().Opportunities.AsNoTracking().SingleAsync(o => o.Id == opportunity.Id));

        var granted = new List<string>();
        foreach (var viewer in viewers)
        {
            _harness.User.Is(Guid.Parse(viewer.UserId), viewer.Role, viewer.PartnerId);
            var grant = await _harness.Send(new CheckOpportunityWatch(opportunity.Id, viewer));
            (grant is not null).Should().Be(OpportunityPolicy.CanWatch(stored, viewer), $"{viewer.Role} {viewer.UserId}");
            (await _harness.Send(new CheckOpportunityWatch(Guid.NewGuid(), viewer))).Should().BeNull();
            if (grant is not null)
            {
                grant.IncludesVendorEvents.Should().Be(viewer.IsVendor);
                granted.Add(viewer.Role);
            }
        }

        granted.Should().Equal([Roles.Partner, Roles.Rep, Roles.ChannelManager, Roles.Admin, Roles.Arbiter],
            "the accepted partner and the owning rep watch, the invited-only and uninvited partners and another rep do not");
    }
}
