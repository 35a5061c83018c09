using CoSell.Application.Abstractions;
using CoSell.Domain.Conflicts;

namespace CoSell.Application.Conflicts;

/// <summary>A claim (a registration, a direct opportunity) that stops being one while an open case binds it says so on the case's timeline, in the same commit.</summary>
internal static class ClaimsLeavingCases
{
    public static async Task RecordAsync(Guid claimId, string how, string actor, DateTimeOffset at, IOpenConflictFinder conflicts, IRepository<ChannelConflict> cases, CancellationToken cancellationToken)
    {
        if (await conflicts.FindBindingAsync([claimId], cancellationToken) is { } caseId && await cases.GetByIdAsync(caseId, cancellationToken) is { } open)
        {
            open.RecordClaimLeft(claimId, how, actor, at);
        }
    }
}
