using CoSell.Application.Opportunities;
using CoSell.Application.Registrations;
using CoSell.Domain.Customers.Identity;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Registrations;
using CoSell.Domain.Users;
using CoSell.Infrastructure.Identity;
using CoSell.Infrastructure.Persistence;
using CoSell.Infrastructure.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CoSell.Application.Tests.Identity;

/// <summary>The start-up load reads registrations without EF Core's materialiser: it must rebuild the very claims the entities make.</summary>
public sealed class ClaimsIndexLoaderTests : IClassFixture<Harness>
{
    private readonly Harness _harness;

    public ClaimsIndexLoaderTests(Harness harness) => _harness = harness;

    [Fact]
    public async Task Load_RebuildsEveryLiveClaimAsTheStoredRegistrationMakesIt()
    {
        _harness.User.Is(DemoProgramme.NorthwindUser, Roles.Partner, DemoProgramme.Northwind);
        var close = DateOnly.FromDateTime(_harness.Time.GetUtcNow().UtcDateTime).AddDays(40);
        // A DUNS and no domain, a domain under a multi-label suffix, several product lines, a non-Latin name; submitted and draft.
        var submitted = await _harness.Send(new CreateRegistration(new CustomerInput("Zürich Präzision AG", null, "CH", "150483782"), ["Security", "Networking"], new MoneyInput(300_000m, "USD"), close, null));
        await _harness.Send(new SubmitRegistration(submitted.Id));
        var kyoto = await _harness.Send(new CreateRegistration(new CustomerInput("株式会社京都テック", "https://shop.kyoto-tech.co.jp/", "JP", null), ["Cloud"], new MoneyInput(250_000m, "USD"), close, null));
        await _harness.Send(new SubmitRegistration(kyoto.Id));
        var draft = await _harness.Send(new CreateRegistration(new CustomerInput("Draft Only Ltd", "draft-only.co.uk", "GB", null), ["Cloud"], new MoneyInput(90_000m, "USD"), close, null));

        await _harness.InScope(async services =>
        {
            var db = services.GetRequiredService<CoSellDbContext>();
            var normaliser = services.GetRequiredService<CustomerNormaliser>();
            var expected = (await db.Registrations.AsNoTracking().ToListAsync())
                .Where(r => RegistrationLifecycle.ActiveClaim.Contains(r.Status))
                .Select(r => CustomerClaim.ForRegistration(r, normaliser))
                .ToList();
            expected.Select(c => c.ClaimId).Should().Contain([submitted.Id, kyoto.Id]).And.NotContain(draft.Id);
            expected.Should().Contain(c => c.ProtectedUntil != null, "the demo programme holds approved registrations");

            var index = services.GetRequiredService<ClaimsIndex>();
            index.Clear();
            var loaded = services.GetRequiredService<ClaimsIndexLoader>().Load();

            loaded.Should().Be(index.Count);
            index.Contains(draft.Id).Should().BeFalse();
            foreach (var claim in expected)
            {
                index.Find(claim.ClaimId).Should().BeEquivalentTo(claim);
            }

            return loaded;
        });
    }

    [Fact]
    public async Task Load_RebuildsTheOpenDirectOpportunitiesAsTheStoredOpportunityMakesThem()
    {
        _harness.User.Is(DemoProgramme.Rep, Roles.Rep);
        var close = DateOnly.FromDateTime(_harness.Time.GetUtcNow().UtcDateTime).AddDays(60);
        var withDuns = await _harness.Send(new CreateOpportunity(new CustomerInput("Österreichische Präzision GmbH", null, "AT", "150483783"), null, new MoneyInput(120_000m, "EUR"), close, null, null));
        // A host under its registrable domain, and a change an hour later: the claim is the registrable domain and the creation.
        var moved = await _harness.Send(new CreateOpportunity(new CustomerInput("Lisbon Harbour Logistics", "https://shop.lisbon-harbour.com.pt/", "PT", null), null, new MoneyInput(80_000m, "EUR"), close, null, null));
        _harness.Time.Advance(TimeSpan.FromHours(1));
        await _harness.Send(new UpdateOpportunity(moved.Id, OpportunityStage.Negotiate, null, null, null, null, null, moved.Version));
        var lost = await _harness.Send(new CreateOpportunity(new CustomerInput("Closed Deal Oy", "closed-deal.fi", "FI", null), null, new MoneyInput(50_000m, "EUR"), close, null, null));
        await _harness.Send(new UpdateOpportunity(lost.Id, OpportunityStage.ClosedLost, null, null, null, null, null, lost.Version));
        var approved = await _harness.InScope(services => services.GetRequiredService<CoSellDbContext>().Registrations.AsNoTracking()
            .Where(r => r.Status == RegistrationStatus.Approved).Select(r => r.Id).FirstAsync());
        var sourced = await _harness.Send(new CreateOpportunityFromRegistration(approved, null, null, null, close, null));

        await _harness.InScope(async services =>
        {
            var db = services.GetRequiredService<CoSellDbContext>();
            var normaliser = services.GetRequiredService<CustomerNormaliser>();
            var stored = await db.Opportunities.AsNoTracking().ToListAsync();
            var expected = stored.Where(CustomerClaim.IsLiveDirectClaim).Select(o => CustomerClaim.ForDirectOpportunity(o, normaliser)).ToList();
            // The partner-sourced opportunity claims nothing of its own: its registration does.
            expected.Select(c => c.ClaimId).Should().Contain([withDuns.Id, moved.Id]).And.NotContain([lost.Id, sourced.Id]);

            var index = services.GetRequiredService<ClaimsIndex>();
            index.Clear();
            services.GetRequiredService<ClaimsIndexLoader>().Load();

            foreach (var claim in expected)
            {
                index.Find(claim.ClaimId).Should().BeEquivalentTo(claim);
            }

            stored.Where(o => !CustomerClaim.IsLiveDirectClaim(o)).Should().OnlyContain(o => !index.Contains(o.Id));
            return expected.Count;
        });
    }
}
