using CoSell.Domain.SeedWork;

namespace CoSell.Domain.Opportunities;

/// <summary>How a partner takes part in an opportunity.</summary>
public enum ParticipantRole
{
    /// <summary>The partner brought the deal (its registration, referral or an awarded conflict).</summary>
    Sourced,

    /// <summary>The vendor brought the deal and invited the partner to help.</summary>
    Influenced,
}

public enum InvitationStatus
{
    Pending,
    Accepted,
    Rejected,
    Expired,

    /// <summary>An accepted invitation a decision took back: the partner no longer takes part (a conflict case decided again without it).</summary>
    Ended,
}

public enum InvitationAction
{
    Accept,
    Reject,
    Expire,
    End,
}

/// <summary>The invitation lifecycle: a pending invitation is accepted, rejected or expires; an accepted one may be ended; the rest is final.</summary>
public static class InvitationLifecycle
{
    private static readonly Dictionary<(InvitationStatus From, InvitationAction Action), InvitationStatus> Moves = new()
    {
        [(InvitationStatus.Pending, InvitationAction.Accept)] = InvitationStatus.Accepted,
        [(InvitationStatus.Pending, InvitationAction.Reject)] = InvitationStatus.Rejected,
        [(InvitationStatus.Pending, InvitationAction.Expire)] = InvitationStatus.Expired,
        [(InvitationStatus.Accepted, InvitationAction.End)] = InvitationStatus.Ended,
    };

    public static IReadOnlyDictionary<(InvitationStatus From, InvitationAction Action), InvitationStatus> AllowedMoves => Moves;

    public static bool TryMove(InvitationStatus from, InvitationAction action, out InvitationStatus to) => Moves.TryGetValue((from, action), out to);
}

/// <summary>A partner on an opportunity. Its id is the invitation id the partner answers.</summary>
public sealed class Participant
{
    private Participant()
    {
        InvitedBy = string.Empty;
    }

    public Guid Id { get; private set; }

    public Guid OpportunityId { get; private set; }

    public Guid PartnerId { get; private set; }

    public ParticipantRole Role { get; private set; }

    public InvitationStatus Status { get; private set; }

    /// <summary>The user id who invited the partner, or who added it as the deal's source.</summary>
    public string InvitedBy { get; private set; }

    public DateTimeOffset InvitedAt { get; private set; }

    /// <summary>When a pending invitation expires; null for a partner that joined as the source.</summary>
    public DateTimeOffset? RespondBy { get; private set; }

    /// <summary>
    /// When the partner answered (accepted or rejected); null while it has not, and for an invitation that lapsed
    /// unanswered. An accepted participation that ends keeps the time it was accepted; its timeline says when it ended.
    /// </summary>
    public DateTimeOffset? RespondedAt { get; private set; }

    public string? Message { get; private set; }

    public string? RejectionReason { get; private set; }

    /// <summary>Pending or accepted: the partner is on the deal, until a pending invitation's deadline (<see cref="IsActiveAt"/>).</summary>
    public bool IsActive => Status is InvitationStatus.Pending or InvitationStatus.Accepted;

    /// <summary>
    /// Whether the partner sees the opportunity at the instant: accepted, or invited and still inside its deadline. An
    /// invitation past its deadline shows nothing more, though the expiry service has yet to write it as lapsed.
    /// </summary>
    public bool IsActiveAt(DateTimeOffset at) => Status == InvitationStatus.Accepted || (Status == InvitationStatus.Pending && RespondBy > at);

    internal static Participant Invited(Guid id, Guid opportunityId, Guid partnerId, string? message, string actor, DateTimeOffset at, DateTimeOffset respondBy) => new()
    {
        Id = id,
        OpportunityId = opportunityId,
        PartnerId = partnerId,
        Role = ParticipantRole.Influenced,
        Status = InvitationStatus.Pending,
        InvitedBy = actor,
        InvitedAt = at,
        RespondBy = respondBy,
        Message = message,
    };

    internal static Participant Source(Guid id, Guid opportunityId, Guid partnerId, string actor, DateTimeOffset at) => new()
    {
        Id = id,
        OpportunityId = opportunityId,
        PartnerId = partnerId,
        Role = ParticipantRole.Sourced,
        Status = InvitationStatus.Accepted,
        InvitedBy = actor,
        InvitedAt = at,
        RespondedAt = at,
    };

    internal void Move(InvitationAction action, DateTimeOffset at, string? reason = null)
    {
        Status = After(action);
        if (action is InvitationAction.Accept or InvitationAction.Reject)
        {
            RespondedAt = at;
        }

        RejectionReason = reason;
    }

    /// <summary>Refuses an action the invitation's status does not allow (409 <c>invitation.not_pending</c>, or <c>invitation.expired</c>).</summary>
    internal void EnsureCan(InvitationAction action) => After(action);

    private InvitationStatus After(InvitationAction action) =>
        InvitationLifecycle.TryMove(Status, action, out var to)
            ? to
            : throw new DomainException(
                Status == InvitationStatus.Expired ? "invitation.expired" : "invitation.not_pending",
                $"This invitation is {Status}; it can no longer be {(action == InvitationAction.Expire ? "expired" : action.ToString().ToLowerInvariant() + "ed")}.");
}
