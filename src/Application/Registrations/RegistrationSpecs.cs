using Ardalis.Specification;
using CoSell.Application.Abstractions;
using CoSell.Domain.Registrations;
using CoSell.Domain.Users;

namespace CoSell.Application.Registrations;

/// <summary>Registrations a caller may list, newest first.</summary>
public sealed class RegistrationsSpec : Specification<DealRegistration>
{
    public RegistrationsSpec(Guid? partnerId, RegistrationStatus? status, PageRequest? page, ListPlace? after = null, Guid? only = null)
    {
        Query.AsNoTracking();
        if (partnerId is { } p)
        {
            Query.Where(r => r.PartnerId == p);
        }

        if (status is { } s)
        {
            Query.Where(r => r.Status == s);
        }

        Query.ReadsOn(r => r.CreatedAt, newestFirst: true, after, only);
        Query.Page(page);
    }
}

/// <summary>A reviewer's queue: registrations awaiting a decision, soonest SLA first.</summary>
public sealed class ReviewQueueSpec : Specification<DealRegistration>
{
    /// <param name="reviewerId">The channel manager whose queue it is: what is routed to it or to nobody; null for every registration.</param>
    /// <param name="leftBy">Channel managers deactivated since they took up a review: theirs is everyone's.</param>
    /// <param name="after">With a page, the queue after this place (due time, id) rather than after the pages before it.</param>
    public ReviewQueueSpec(Guid? reviewerId, IReadOnlyCollection<Guid> leftBy, PageRequest? page, ListPlace? after = null)
    {
        Query.AsNoTracking().Where(r => r.Status == RegistrationStatus.Submitted || r.Status == RegistrationStatus.UnderReview);
        if (reviewerId is { } id)
        {
            Query.Where(r => r.ReviewerId == id || r.ReviewerId == null || leftBy.Contains(r.ReviewerId.Value));
        }

        Query.ReadsOn(r => r.ReviewDueAt, newestFirst: false, after, only: null);
        Query.Page(page);
    }
}

/// <summary>
/// A partner's registrations that have, or will have, a channel manager to review them: drafts, and those submitted,
/// under review or returned for action.
/// </summary>
public sealed class RoutedToChannelManagerSpec : Specification<DealRegistration>
{
    public RoutedToChannelManagerSpec(Guid partnerId) =>
        Query.Where(r => r.PartnerId == partnerId && (r.Status == RegistrationStatus.Draft ||
            r.Status == RegistrationStatus.Submitted || r.Status == RegistrationStatus.UnderReview || r.Status == RegistrationStatus.ActionRequired));
}

/// <summary>
/// The place in the review queue of a registration that had a review due: wherever its review went since (taken up by
/// another manager, passed on, decided), the item a manager read last marks where its queue goes on. Every vendor user
/// who reads the queue reads each registration too, so the place tells nothing it could not read.
/// </summary>
public sealed class ReviewPlaceSpec : Specification<DealRegistration>
{
    public ReviewPlaceSpec(Guid id) =>
        Query.AsNoTracking().Where(r => r.Id == id && r.ReviewDueAt != null);
}

/// <summary>Approved registrations whose protection has ended.</summary>
public sealed class ProtectionEndedSpec : Specification<DealRegistration>
{
    public ProtectionEndedSpec(DateTimeOffset at, int skip, int batch) =>
        Query.Where(r => r.Status == RegistrationStatus.Approved && r.ProtectionEndsAt <= at)
            .OrderBy(r => r.ProtectionEndsAt).ThenBy(r => r.Id)
            .Skip(skip)
            .Take(batch);
}

/// <summary>Channel managers who have been deactivated.</summary>
public sealed class InactiveChannelManagersSpec : Specification<User>
{
    public InactiveChannelManagersSpec() => Query.AsNoTracking().Where(u => u.Role == Roles.ChannelManager && !u.IsActive);
}

/// <summary>Channel managers who are active: the readers of the queue of registrations routed to nobody.</summary>
public sealed class ActiveChannelManagersSpec : Specification<User>
{
    public ActiveChannelManagersSpec() => Query.AsNoTracking().Where(u => u.Role == Roles.ChannelManager && u.IsActive);
}
