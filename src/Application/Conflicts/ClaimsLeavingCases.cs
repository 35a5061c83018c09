using CoSell.Application.Abstractions;
using CoSell.Application.RulesOfEngagement;
using CoSell.Domain.Conflicts;
using Rules = CoSell.Domain.Rules.RulesOfEngagement;

namespace CoSell.Application.Conflicts;

/// <summary>
/// A claim (a registration, a direct opportunity) that stops being one while an open case binds it says so on the case's
/// timeline, in the same commit; the case recommends again under its own rules version if the claim was the one recommended.
/// </summary>
public sealed class ClaimsLeavingCases(IOpenConflictFinder conflicts, IRepository<ChannelConflict> cases, IRepository<Rules> rules)
{
    public async Task RecordAsync(Guid claimId, string how, string actor, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (await conflicts.FindBindingAsync([claimId], cancellationToken) is { } caseId && await cases.GetByIdAsync(caseId, cancellationToken) is { } open)
        {
            open.RecordClaimLeft(claimId, how, await rules.DirectLookbackDaysAsync(open.RulesVersion, cancellationToken), actor, at);
        }
    }
}
