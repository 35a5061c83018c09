using CoSell.Application.Abstractions;
using CoSell.Application.DuplicateChecks;
using CoSell.Application.Registrations;
using CoSell.Domain.Customers;
using CoSell.Domain.Customers.Identity;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Registrations;
using CoSell.Domain.Users;
using CoSell.Infrastructure.Seeding;
using Microsoft.Extensions.DependencyInjection;

namespace CoSell.Application.Tests;

/// <summary>
/// A check judged on the claims the store holds live: each claim the index still files though it is no longer live is
/// left out, and so is each one that leaving it out brings in (the matcher answers its strongest matches only).
/// </summary>
public sealed class LiveAssessmentTests : IClassFixture<Harness>
{
    private readonly Harness _harness;

    public LiveAssessmentTests(Harness harness) => _harness = harness;

    [Fact]
    public async Task EachClaimThatIsNoLongerLive_IsLeftOut_UntilTheMatchesAreAllLive()
    {
        _harness.User.Is(DemoProgramme.NorthwindUser, Roles.Partner, DemoProgramme.Northwind);
        var close = DateOnly.FromDateTime(_harness.Time.GetUtcNow().UtcDateTime).AddDays(30);
        async Task<RegistrationDto> Draft(string name) =>
            await _harness.Send(new CreateRegistration(new CustomerInput(name, name.ToLowerInvariant().Replace(' ', '-') + ".com", "US", null), ["Cloud"], new MoneyInput(200_000m, "USD"), close, null));
        var first = await Draft("Gone First Ltd");
        var second = await Draft("Gone Second Ltd");
        var live = await Draft("Still Here Ltd");
        await _harness.Send(new SubmitRegistration(live.Id));
        var checkedOne = await Draft("Checked Customer Ltd");

        // Drafts are no live claims: as the index would still file a claim whose exit has committed.
        var detector = new SurfacingDetector(first.Id, second.Id, live.Id);
        var assessed = await _harness.InScope(async services =>
        {
            var judge = new SubmissionJudge(
                services.GetRequiredService<ClaimGate>(),
                services.GetRequiredService<ClaimsIndex>(),
                services.GetRequiredService<CustomerNormaliser>(),
                detector,
                services.GetRequiredService<CommandCompletion>(),
                services.GetRequiredService<IRepository<DealRegistration>>(),
                services.GetRequiredService<IRepository<Opportunity>>());
            var registration = await services.GetRequiredService<IRepository<DealRegistration>>().GetByIdAsync(checkedOne.Id, CancellationToken.None);
            return await judge.AssessLiveAsync(registration!, CancellationToken.None);
        });

        assessed.Matches.Select(m => m.ClaimId).Should().Equal(live.Id);
        detector.Departed.Should().BeEquivalentTo(new[] { [], new[] { first.Id }, new[] { first.Id, second.Id }.Order().ToArray() }, o => o.WithStrictOrdering());
    }

    /// <summary>Answers one match at a time, the next one surfacing once the one before it is left out.</summary>
    private sealed class SurfacingDetector(params Guid[] claims) : IClaimCollisionDetector
    {
        public List<Guid[]> Departed { get; } = [];

        public Task<DuplicateAssessment> AssessAsync(DuplicateQuery query, CancellationToken cancellationToken)
        {
            Departed.Add([.. query.Departed.Order()]);
            var next = claims.First(c => !query.Departed.Contains(c));
            return Task.FromResult(new DuplicateAssessment(DuplicateVerdict.Likely, 0.9, ["same domain"])
            {
                Matches = [new ClaimReference(next, ClaimKind.Registration, DemoProgramme.Fabrikam, DateTimeOffset.UnixEpoch, 0.9, ["same domain"])],
            });
        }
    }
}
