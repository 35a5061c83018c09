using CoSell.Application.Abstractions;
using CoSell.Application.Conflicts;
using CoSell.Domain.Conflicts;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Registrations;

namespace CoSell.Application.Opportunities;

/// <summary>
/// The open deal a registration is worked as, and won with: the opportunity it was made that is open (not one it lost
/// before), or the joint one a case's co-sell decision opened when it awarded the registration, while its partner still
/// sources it (a conversion counts that one as the registration's too).
/// </summary>
public sealed class RegistrationDeals(IRepository<Opportunity> opportunities, IRepository<ChannelConflict> conflicts)
{
    /// <param name="besidesCase">A case whose own joint deal is not counted (a decision of that case handles it apart).</param>
    public async Task<Opportunity?> OpenDealOfAsync(DealRegistration registration, Guid? besidesCase, CancellationToken cancellationToken)
    {
        if (await opportunities.FirstOrDefaultAsync(new OpenOpportunityFromSourceSpec(OpportunitySourceKind.Registration, registration.Id), cancellationToken) is { } own)
        {
            return own;
        }

        return (await JointDealsOfAsync(registration, besidesCase, cancellationToken)).FirstOrDefault(d => d.IsOpen);
    }

    /// <summary>
    /// The joint deals, open or closed, that cases' co-sell decisions opened when they awarded the registration, while its
    /// partner still sources them.
    /// </summary>
    /// <param name="besidesCase">A case whose own joint deal is not counted.</param>
    public async Task<List<Opportunity>> JointDealsOfAsync(DealRegistration registration, Guid? besidesCase, CancellationToken cancellationToken)
    {
        var joint = new List<Opportunity>();
        foreach (var caseId in await conflicts.ListAsync(new AwardsOfClaimSpec(registration.Id), cancellationToken))
        {
            if (caseId != besidesCase)
            {
                joint.AddRange((await opportunities.ListAsync(new DealsOfCaseSpec(caseId, [], []), cancellationToken)).Where(d => d.IsSourcedBy(registration.PartnerId)));
            }
        }

        return joint;
    }
}
