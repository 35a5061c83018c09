namespace CoSell.Domain.Referrals;

public enum ReferralDirection
{
    /// <summary>The vendor passes a lead to a partner; the partner accepts and registers it.</summary>
    VendorToPartner,

    /// <summary>A partner passes a lead to the vendor; the vendor accepts and opens an opportunity.</summary>
    PartnerToVendor,
}

public enum ReferralStatus
{
    Pending,
    Accepted,
    Declined,
    Expired,
    Converted,
}

public enum ReferralAction
{
    Accept,
    Decline,
    Expire,
    Convert,
}

/// <summary>Why the receiver declined a referral.</summary>
public enum DeclineReason
{
    NotAFit,
    NoCapacity,
    OutsideTerritory,
    AlreadyEngaged,
    CustomerNotInterested,
    Other,
}

/// <summary>What a converted referral became.</summary>
public enum ReferralConversion
{
    Registration,
    Opportunity,
}

/// <summary>The referral lifecycle in one table: every allowed move and nothing else.</summary>
public static class ReferralLifecycle
{
    private static readonly Dictionary<(ReferralStatus From, ReferralAction Action), ReferralStatus> Moves = new()
    {
        [(ReferralStatus.Pending, ReferralAction.Accept)] = ReferralStatus.Accepted,
        [(ReferralStatus.Pending, ReferralAction.Decline)] = ReferralStatus.Declined,
        [(ReferralStatus.Pending, ReferralAction.Expire)] = ReferralStatus.Expired,
        [(ReferralStatus.Accepted, ReferralAction.Convert)] = ReferralStatus.Converted,
    };

    public static IReadOnlyDictionary<(ReferralStatus From, ReferralAction Action), ReferralStatus> AllowedMoves => Moves;

    public static bool TryMove(ReferralStatus from, ReferralAction action, out ReferralStatus to) => Moves.TryGetValue((from, action), out to);

    /// <summary>States in which the receiver may read the customer contact.</summary>
    public static bool RevealsContact(ReferralStatus status) => status is ReferralStatus.Accepted or ReferralStatus.Converted;
}
