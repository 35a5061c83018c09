namespace CoSell.Domain.Registrations;

/// <summary>How sure the service is that a registration's customer is already claimed, and why.</summary>
public sealed record DuplicateAssessment(DuplicateVerdict Verdict, double Score, IReadOnlyList<string> Reasons)
{
    public static readonly DuplicateAssessment Clear = new(DuplicateVerdict.Clear, 0, []);
}

public enum DuplicateVerdict
{
    Clear,
    Possible,
    Likely,
}

/// <summary>Judges a registration's customer against every other live claim (a data-dependent rule).</summary>
public interface IClaimCollisionDetector
{
    Task<DuplicateAssessment> AssessAsync(DealRegistration candidate, CancellationToken cancellationToken);
}
