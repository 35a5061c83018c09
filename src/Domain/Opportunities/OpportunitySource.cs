namespace CoSell.Domain.Opportunities;

public enum OpportunitySourceKind
{
    /// <summary>A direct rep opened it: a claim on the customer like a registration.</summary>
    Direct,
    Registration,
    Referral,
    ConflictDecision,
}

/// <summary>Where an opportunity came from, kept for attribution.</summary>
public sealed record OpportunitySource(OpportunitySourceKind Kind, Guid? ReferenceId)
{
    // For materialisation by persistence only.
    private OpportunitySource()
        : this(OpportunitySourceKind.Direct, null)
    {
    }

    public static OpportunitySource Direct => new(OpportunitySourceKind.Direct, null);

    public static OpportunitySource Registration(Guid registrationId) => new(OpportunitySourceKind.Registration, registrationId);

    public static OpportunitySource Referral(Guid referralId) => new(OpportunitySourceKind.Referral, referralId);

    public static OpportunitySource ConflictDecision(Guid conflictId) => new(OpportunitySourceKind.ConflictDecision, conflictId);
}
