using CoSell.Domain.Customers;
using CoSell.Domain.Customers.Identity;

namespace CoSell.Domain.Registrations;

/// <summary>How sure the service is that a registration's customer is already claimed, and why.</summary>
public sealed record DuplicateAssessment(DuplicateVerdict Verdict, double Score, IReadOnlyList<string> Reasons)
{
    public static readonly DuplicateAssessment Clear = new(DuplicateVerdict.Clear, 0, []);

    /// <summary>The live claims that matched, strongest first (for vendor eyes and conflict handling only).</summary>
    public IReadOnlyList<ClaimReference> Matches { get; init; } = [];
}

/// <summary>Another live claim a duplicate check matched: enough to bind it into a conflict case.</summary>
public sealed record ClaimReference(Guid ClaimId, ClaimKind Kind, Guid? PartnerId, DateTimeOffset ClaimedAt, double Score, IReadOnlyList<string> Reasons);

public enum DuplicateVerdict
{
    Clear,
    Possible,
    Likely,
}

/// <summary>A customer to judge against the live claims, leaving out one claim (the candidate itself) or one partner's claims.</summary>
public sealed record DuplicateQuery(Customer Customer, IReadOnlyList<string> ProductLines, Guid? ExcludeClaimId, Guid? ExcludePartnerId)
{
    /// <summary>Claims to leave out as well: ones the store no longer holds live, though the index still files them.</summary>
    public IReadOnlySet<Guid> Departed { get; init; } = new HashSet<Guid>();

    /// <summary>Weighs the customer alone, not the deals' product lines or the claims' dates (a partner's advisory check).</summary>
    public bool CustomerOnly { get; init; }

    /// <summary>The partner whose deal is judged: however many claims of its own match, another party's likely claim is named.</summary>
    public Guid? OwnPartnerId { get; init; }

    public static DuplicateQuery For(DealRegistration registration) =>
        new(registration.Customer, registration.ProductLines, registration.Id, null) { OwnPartnerId = registration.PartnerId };
}

/// <summary>Judges a customer against every other live claim (a data-dependent rule).</summary>
public interface IClaimCollisionDetector
{
    Task<DuplicateAssessment> AssessAsync(DuplicateQuery query, CancellationToken cancellationToken);
}
