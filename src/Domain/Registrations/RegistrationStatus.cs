namespace CoSell.Domain.Registrations;

public enum RegistrationStatus
{
    Draft,
    Submitted,
    UnderReview,
    ActionRequired,
    InConflict,
    Approved,
    Rejected,
    Won,
    Lost,
    Expired,
    Withdrawn,
}

/// <summary>What a person (or the service) does to a registration.</summary>
public enum RegistrationAction
{
    Submit,
    StartReview,
    Approve,
    Reject,
    Return,
    FlagConflict,
    DecideConflictApprove,
    DecideConflictReject,
    ReopenConflict,
    Withdraw,
    Extend,
    CloseWon,
    CloseLost,
    Expire,
}

/// <summary>The registration lifecycle in one table: every allowed move and nothing else.</summary>
public static class RegistrationLifecycle
{
    private static readonly Dictionary<(RegistrationStatus From, RegistrationAction Action), RegistrationStatus> Moves = new()
    {
        [(RegistrationStatus.Draft, RegistrationAction.Submit)] = RegistrationStatus.Submitted,
        [(RegistrationStatus.ActionRequired, RegistrationAction.Submit)] = RegistrationStatus.UnderReview,

        [(RegistrationStatus.Submitted, RegistrationAction.StartReview)] = RegistrationStatus.UnderReview,

        [(RegistrationStatus.Submitted, RegistrationAction.Approve)] = RegistrationStatus.Approved,
        [(RegistrationStatus.UnderReview, RegistrationAction.Approve)] = RegistrationStatus.Approved,
        [(RegistrationStatus.Submitted, RegistrationAction.Reject)] = RegistrationStatus.Rejected,
        [(RegistrationStatus.UnderReview, RegistrationAction.Reject)] = RegistrationStatus.Rejected,
        // A claim returned for action is live: a partner that never answers would hold the customer for as long as it
        // liked. The reviewer may end it; it is approved only once resubmitted, as the partner last submitted it.
        [(RegistrationStatus.ActionRequired, RegistrationAction.Reject)] = RegistrationStatus.Rejected,
        [(RegistrationStatus.Submitted, RegistrationAction.Return)] = RegistrationStatus.ActionRequired,
        [(RegistrationStatus.UnderReview, RegistrationAction.Return)] = RegistrationStatus.ActionRequired,

        [(RegistrationStatus.Submitted, RegistrationAction.FlagConflict)] = RegistrationStatus.InConflict,
        [(RegistrationStatus.UnderReview, RegistrationAction.FlagConflict)] = RegistrationStatus.InConflict,
        [(RegistrationStatus.ActionRequired, RegistrationAction.FlagConflict)] = RegistrationStatus.InConflict,
        [(RegistrationStatus.InConflict, RegistrationAction.DecideConflictApprove)] = RegistrationStatus.Approved,
        [(RegistrationStatus.InConflict, RegistrationAction.DecideConflictReject)] = RegistrationStatus.Rejected,

        // An approved registration bound into a case keeps its protection until the case is decided.
        [(RegistrationStatus.Approved, RegistrationAction.DecideConflictApprove)] = RegistrationStatus.Approved,
        [(RegistrationStatus.Approved, RegistrationAction.DecideConflictReject)] = RegistrationStatus.Rejected,

        // An admin reopening a decided case puts its registrations back into conflict handling.
        [(RegistrationStatus.Approved, RegistrationAction.ReopenConflict)] = RegistrationStatus.InConflict,
        [(RegistrationStatus.Rejected, RegistrationAction.ReopenConflict)] = RegistrationStatus.InConflict,

        [(RegistrationStatus.Draft, RegistrationAction.Withdraw)] = RegistrationStatus.Withdrawn,
        [(RegistrationStatus.Submitted, RegistrationAction.Withdraw)] = RegistrationStatus.Withdrawn,
        [(RegistrationStatus.UnderReview, RegistrationAction.Withdraw)] = RegistrationStatus.Withdrawn,
        [(RegistrationStatus.ActionRequired, RegistrationAction.Withdraw)] = RegistrationStatus.Withdrawn,
        [(RegistrationStatus.InConflict, RegistrationAction.Withdraw)] = RegistrationStatus.Withdrawn,
        [(RegistrationStatus.Approved, RegistrationAction.Withdraw)] = RegistrationStatus.Withdrawn,

        [(RegistrationStatus.Approved, RegistrationAction.Extend)] = RegistrationStatus.Approved,
        [(RegistrationStatus.Approved, RegistrationAction.CloseWon)] = RegistrationStatus.Won,
        [(RegistrationStatus.Approved, RegistrationAction.CloseLost)] = RegistrationStatus.Lost,
        [(RegistrationStatus.Approved, RegistrationAction.Expire)] = RegistrationStatus.Expired,
    };

    public static IReadOnlyDictionary<(RegistrationStatus From, RegistrationAction Action), RegistrationStatus> AllowedMoves => Moves;

    public static bool TryMove(RegistrationStatus from, RegistrationAction action, out RegistrationStatus to) =>
        Moves.TryGetValue((from, action), out to);

    /// <summary>States in which the registration is still a live claim on its customer.</summary>
    public static readonly IReadOnlySet<RegistrationStatus> ActiveClaim = new HashSet<RegistrationStatus>
    {
        RegistrationStatus.Submitted, RegistrationStatus.UnderReview, RegistrationStatus.ActionRequired,
        RegistrationStatus.InConflict, RegistrationStatus.Approved,
    };

    /// <summary>States a channel manager still has to act on.</summary>
    public static readonly IReadOnlySet<RegistrationStatus> AwaitingReview = new HashSet<RegistrationStatus>
    {
        RegistrationStatus.Submitted, RegistrationStatus.UnderReview,
    };

    public static bool IsEditable(RegistrationStatus status) => status is RegistrationStatus.Draft or RegistrationStatus.ActionRequired;
}
