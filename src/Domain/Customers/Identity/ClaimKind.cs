namespace CoSell.Domain.Customers.Identity;

/// <summary>What kind of claim holds a customer.</summary>
public enum ClaimKind : byte
{
    /// <summary>A partner's deal registration.</summary>
    Registration,

    /// <summary>A direct sales opportunity of the vendor.</summary>
    DirectOpportunity,
}
