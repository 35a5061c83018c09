using CoSell.Application.Abstractions;
using CoSell.Domain.Registrations;
using CoSell.Domain.Users;

namespace CoSell.Application.Registrations;

/// <summary>
/// The channel managers whose review queue (<c>GET /reviews</c>) lists a registration awaiting review: the active channel
/// manager it is routed to (or a manager CoSell has no row for, who took it up), or every active channel manager when it
/// is routed to nobody or to one since deactivated. Admins read every queue and are told of none.
/// </summary>
public sealed class ReviewQueueReaders(IRepository<User> users)
{
    // Lives as long as the request, which commits once.
    private IReadOnlyList<Guid>? _everyActiveManager;
    private readonly HashSet<Guid> _deactivated = [];

    /// <summary>
    /// The command deactivates <paramref name="channelManagerId"/>, active when it began: until then the reviews routed to
    /// it were listed in its queue alone, not in the shared queue every active channel manager reads.
    /// </summary>
    public void Deactivating(Guid channelManagerId) => _deactivated.Add(channelManagerId);

    /// <summary>
    /// The channel managers, among those active once the command committed, whose queue listed a registration when the
    /// command began, as it stood then (<see cref="RegistrationEvent.Before"/>): none when it awaited no review (read
    /// without a look at the store), and none when it was routed to a manager the command deactivated, whose queue alone
    /// listed it.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> ListedBeforeAsync(ReviewStanding before, CancellationToken cancellationToken)
    {
        if (!before.AwaitsReview || (before.ReviewerId is { } id && _deactivated.Contains(id)))
        {
            return [];
        }

        return await OfAsync(before.ReviewerId, cancellationToken);
    }

    /// <summary>The active channel managers whose queue lists a registration awaiting review routed to <paramref name="reviewerId"/>.</summary>
    public async Task<IReadOnlyList<Guid>> OfAsync(Guid? reviewerId, CancellationToken cancellationToken)
    {
        if (reviewerId is { } id)
        {
            switch (await users.GetByIdAsync(id, cancellationToken))
            {
                // A manager signed in through an identity provider, without a row here, who took the review up (ADR 0016):
                // its own queue lists it, and no other.
                case null:
                    return [id];
                case { Role: not Roles.ChannelManager }:
                    return [];
                case { IsActive: true } reviewer:
                    return [reviewer.Id];
            }
        }

        // Read once for the request: a partner left without a manager passes every waiting registration on at once.
        return _everyActiveManager ??= (await users.ListAsync(new ActiveChannelManagersSpec(), cancellationToken)).Select(u => u.Id).ToList();
    }
}
