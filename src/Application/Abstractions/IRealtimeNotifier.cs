using CoSell.Domain.Conflicts;
using CoSell.Domain.Opportunities;
using CoSell.Domain.Referrals;
using CoSell.Domain.Registrations;

namespace CoSell.Application.Abstractions;

/// <summary>Pushes committed changes to the people allowed to see them; called only after the commit succeeded.</summary>
public interface IRealtimeNotifier
{
    Task RegistrationStatusChangedAsync(RegistrationStatusMessage message, CancellationToken cancellationToken);

    /// <summary>Tells the channel managers in whose review queue a registration arrived, each through its own user group, so their queue can refresh.</summary>
    Task ReviewQueuedAsync(RegistrationStatusMessage message, IReadOnlyList<Guid> channelManagerIds, CancellationToken cancellationToken);

    /// <summary>Tells the channel managers from whose review queue a registration left, each through its own user group, so their queue can refresh.</summary>
    Task ReviewQueueLeftAsync(ReviewQueueLeftMessage message, IReadOnlyList<Guid> channelManagerIds, CancellationToken cancellationToken);

    /// <summary>
    /// Sends an opportunity change to the watchers the audience allows (and to an addressed partner's users). When a
    /// partner's user made it (<paramref name="actor"/>), the other partners' watchers read that user as
    /// <see cref="PartnerActor.AnotherPartner"/>, as they do on the timeline; when the arbiter did, every partner's
    /// watchers read <see cref="PartnerActor.Arbiter"/>.
    /// </summary>
    Task OpportunityChangedAsync(OpportunityChangedMessage message, RealtimeAudience audience, PartnerActor? actor, CancellationToken cancellationToken);

    /// <summary>Sends a note to the opportunity's watchers; an internal note to its vendor watchers only. A partner author reads to other partners as in <see cref="OpportunityChangedAsync"/>.</summary>
    Task NoteAddedAsync(NoteAddedMessage message, PartnerActor? author, CancellationToken cancellationToken);

    /// <summary>Reps other than the owner leave the opportunity's live feed (ownership passed on).</summary>
    Task OwnerChangedAsync(Guid opportunityId, Guid ownerId, CancellationToken cancellationToken);

    /// <summary>The partner's users leave the opportunity's live feed (its participation ended).</summary>
    Task ParticipationEndedAsync(Guid opportunityId, Guid partnerId, CancellationToken cancellationToken);

    /// <summary>Closes the live connections of a partner's users (the partner was suspended); a new one may watch nothing.</summary>
    Task PartnerSuspendedAsync(Guid partnerId, CancellationToken cancellationToken);

    /// <summary>Sends a referral change to its parties: the partner's users and the vendor users who answer or answered for it.</summary>
    Task ReferralChangedAsync(ReferralChangedMessage message, Guid partnerId, IReadOnlyList<Guid> vendorUserIds, CancellationToken cancellationToken);

    /// <summary>Tells a case's parties, its arbiter (and, when escalated, the admins) that the case changed; they re-read it through the API.</summary>
    Task ConflictChangedAsync(ConflictChangedMessage message, ConflictAudience audience, CancellationToken cancellationToken);
}

/// <summary>
/// A change whose maker some partners must not learn: a partner's user, unnamed to the opportunity's other partners, or
/// the arbiter of a case, unnamed to every partner (<see cref="PartnerId"/> null), as the case hides it from its parties.
/// </summary>
public sealed record PartnerActor(Guid? PartnerId, IReadOnlyList<Guid> OtherPartners, string Unnamed)
{
    /// <summary>How a partner reads a user of another partner, on a timeline and in a push.</summary>
    public const string AnotherPartner = "another partner";

    /// <summary>How a partner reads the arbiter who decided a case, on a timeline and in a push.</summary>
    public const string Arbiter = "arbiter";

    public static PartnerActor OfPartner(Guid partnerId, IEnumerable<Guid> otherPartners) =>
        new(partnerId, [.. otherPartners.Where(p => p != partnerId).Distinct()], AnotherPartner);

    public static PartnerActor OfArbiter(IEnumerable<Guid> partners) => new(null, [.. partners.Distinct()], Arbiter);

    /// <summary>Whether the partner's users read the maker unnamed.</summary>
    public bool HiddenFrom(Guid partnerId) => partnerId != PartnerId;
}

/// <summary>What every recipient learns: which case changed and how; the details come from the API with the reader's redaction.</summary>
public sealed record ConflictChangedMessage(Guid ConflictId, string Change, ConflictStatus Status, DateTimeOffset At);

/// <summary>Who receives a conflict change.</summary>
public sealed record ConflictAudience(IReadOnlyList<Guid> PartnerIds, IReadOnlyList<string> UserIds);

/// <summary>
/// What a registering partner's users learn when a registration moves, its protection is extended or it is made an
/// opportunity, and what a channel manager learns when one arrives in its review queue: <see cref="Type"/> is the
/// timeline entry's type (<c>registration.extended</c>, <c>registration.opportunity_opened</c>, <c>registration.submitted</c>, …) and <see cref="ProtectionEndsAt"/> the end of
/// protection as a read of the registration now shows it.
/// </summary>
public sealed record RegistrationStatusMessage(Guid RegistrationId, Guid PartnerId, RegistrationStatus From, RegistrationStatus To, DateTimeOffset At, string Type, DateTimeOffset? ProtectionEndsAt);

/// <summary>
/// What a channel manager learns when a registration leaves its review queue: which one, the status it has now, and
/// <see cref="Type"/>, the timeline entry's type of the change that took it out (<c>registration.approved</c>,
/// <c>registration.rerouted</c>, …).
/// </summary>
public sealed record ReviewQueueLeftMessage(Guid RegistrationId, Guid PartnerId, RegistrationStatus Status, string Type, DateTimeOffset At);

/// <summary>An opportunity changed: its new version and stage, and the timeline line that says what happened.</summary>
public sealed record OpportunityChangedMessage(Guid OpportunityId, long Version, string Type, OpportunityStage Stage, string Summary, string Actor, DateTimeOffset At);

public sealed record NoteAddedMessage(Guid OpportunityId, Guid NoteId, NoteVisibility Visibility, string Body, string Author, long Version, DateTimeOffset At);

/// <summary>A referral moved; the contact is never in the message.</summary>
public sealed record ReferralChangedMessage(Guid ReferralId, ReferralDirection Direction, string Type, ReferralStatus From, ReferralStatus To, DateTimeOffset At);

public enum RealtimeAudienceKind
{
    /// <summary>Every watcher of the opportunity.</summary>
    Everyone,

    /// <summary>The opportunity's vendor watchers only.</summary>
    Vendor,

    /// <summary>The opportunity's vendor watchers and every user of one partner.</summary>
    VendorAndPartner,
}

/// <summary>Who receives an opportunity push, by meaning; the Web layer turns it into hub groups.</summary>
public sealed record RealtimeAudience(RealtimeAudienceKind Kind, Guid? PartnerId)
{
    public static readonly RealtimeAudience Everyone = new(RealtimeAudienceKind.Everyone, null);

    public static readonly RealtimeAudience Vendor = new(RealtimeAudienceKind.Vendor, null);

    public static RealtimeAudience VendorAnd(Guid partnerId) => new(RealtimeAudienceKind.VendorAndPartner, partnerId);
}

/// <summary>Tells no one: for hosts without clients (benchmarks, maintenance tools).</summary>
public sealed class NullRealtimeNotifier : IRealtimeNotifier
{
    public static readonly NullRealtimeNotifier Instance = new();

    public Task RegistrationStatusChangedAsync(RegistrationStatusMessage message, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ReviewQueuedAsync(RegistrationStatusMessage message, IReadOnlyList<Guid> channelManagerIds, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ReviewQueueLeftAsync(ReviewQueueLeftMessage message, IReadOnlyList<Guid> channelManagerIds, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ConflictChangedAsync(ConflictChangedMessage message, ConflictAudience audience, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task OpportunityChangedAsync(OpportunityChangedMessage message, RealtimeAudience audience, PartnerActor? actor, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task NoteAddedAsync(NoteAddedMessage message, PartnerActor? author, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task OwnerChangedAsync(Guid opportunityId, Guid ownerId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ParticipationEndedAsync(Guid opportunityId, Guid partnerId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task PartnerSuspendedAsync(Guid partnerId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ReferralChangedAsync(ReferralChangedMessage message, Guid partnerId, IReadOnlyList<Guid> vendorUserIds, CancellationToken cancellationToken) => Task.CompletedTask;
}
