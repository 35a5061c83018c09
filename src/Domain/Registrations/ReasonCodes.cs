namespace CoSell.Domain.Registrations;

/// <summary>Why a registration was rejected.</summary>
public enum RejectionReason
{
    Duplicate,
    ExistingDirectEngagement,
    NotQualified,
    InsufficientInformation,
    OutsideTerritory,
    BelowMinimumValue,
    Other,
}

/// <summary>Why a registered deal was lost.</summary>
public enum LossReason
{
    Price,
    Competitor,
    NoDecision,
    Budget,
    Timing,
    Other,
}

public enum CloseOutcome
{
    Won,
    Lost,
}
