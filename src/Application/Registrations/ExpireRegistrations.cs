using CoSell.Application.Abstractions;
using CoSell.Domain.Registrations;
using MediatR;

namespace CoSell.Application.Registrations;

/// <summary>Expires a batch of registrations whose protection has ended; run by the expiry service, not over HTTP.</summary>
public sealed record ExpireRegistrations(int BatchSize = 200) : ICommand<int>;

public sealed class ExpireRegistrationsHandler(IRepository<DealRegistration> registrations, TimeProvider time) : IRequestHandler<ExpireRegistrations, int>
{
    public async Task<int> Handle(ExpireRegistrations request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = await registrations.ListAsync(new ProtectionEndedSpec(now, request.BatchSize), cancellationToken);
        foreach (var registration in due)
        {
            registration.Expire(now);
        }

        return due.Count;
    }
}
