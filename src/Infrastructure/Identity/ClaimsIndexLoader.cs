using CoSell.Domain.Customers.Identity;
using CoSell.Domain.Registrations;
using CoSell.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CoSell.Infrastructure.Identity;

/// <summary>Rebuilds the in-memory claims index from the live claims in the database at start-up.</summary>
public sealed class ClaimsIndexLoader(CoSellDbContext db, ClaimsIndex index, CustomerNormaliser normaliser, ILogger<ClaimsIndexLoader> logger)
{
    public async Task<int> LoadAsync(CancellationToken cancellationToken)
    {
        var live = RegistrationLifecycle.ActiveClaim.ToList();
        var claims = new List<CustomerClaim>();
        // Only the columns a claim needs: materialising whole registrations made this most of the start-up time.
        var facts = db.Registrations.AsNoTracking()
            .Where(r => live.Contains(r.Status))
            .Select(r => new RegistrationFacts(r.Id, r.PartnerId, r.Customer, EF.Property<List<string>>(r, "_productLines"), r.Status, r.CreatedAt, r.SubmittedAt, r.DecidedAt, r.ProtectionEndsAt));
        await foreach (var registration in facts.AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            claims.Add(CustomerClaim.ForRegistration(registration, normaliser));
        }

        var open = Domain.Opportunities.OpportunityStages.Open.ToList();
        await foreach (var opportunity in db.Opportunities.AsNoTracking()
            .Where(o => o.Source.Kind == Domain.Opportunities.OpportunitySourceKind.Direct && open.Contains(o.Stage))
            .AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            claims.Add(CustomerClaim.ForDirectOpportunity(opportunity, normaliser));
        }

        index.Clear();
        index.Load(claims);
        logger.LogInformation("Claims index holds {Count} live claims", claims.Count);
        return claims.Count;
    }
}
