using CoSell.Application.Abstractions;
using CoSell.Application.Conflicts;
using CoSell.Domain.Registrations;
using MediatR;

namespace CoSell.Application.Registrations;

/// <summary>
/// Expires a batch of registrations whose protection has ended; run by the expiry service, not over HTTP. One an open
/// conflict case holds keeps its protection until the decision and is left for it.
/// </summary>
public sealed record ExpireRegistrations(int BatchSize = 200) : ICommand<int>, IRetriedOnConcurrentChange;

public sealed class ExpireRegistrationsHandler(IRepository<DealRegistration> registrations, IOpenConflictFinder cases, TimeProvider time) : IRequestHandler<ExpireRegistrations, int>
{
    public async Task<int> Handle(ExpireRegistrations request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var expired = 0;
        var skip = 0;
        while (expired == 0)
        {
            // Held registrations are passed over, page after page, so that many of them cannot keep the others from expiring.
            var due = await registrations.ListAsync(new ProtectionEndedSpec(now, skip, request.BatchSize), cancellationToken);
            if (due.Count == 0)
            {
                break;
            }

            var held = await cases.BoundAmongAsync([.. due.Select(r => r.Id)], cancellationToken);
            foreach (var registration in due.Where(r => !held.Contains(r.Id)))
            {
                registration.Expire(now);
                expired++;
            }

            skip += due.Count;
        }

        return expired;
    }
}
