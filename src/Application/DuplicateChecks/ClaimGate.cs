using CoSell.Application.Abstractions;
using CoSell.Domain.Registrations;

namespace CoSell.Application.DuplicateChecks;

/// <summary>The one gate, process-wide, that submissions pass one at a time from their duplicate check to their commit.</summary>
public sealed class ClaimGate : IDisposable
{
    internal SemaphoreSlim Gate { get; } = new(1, 1);

    public void Dispose() => Gate.Dispose();
}

/// <summary>
/// Judges a submission against the live claims so that, of two submissions for one customer at the same moment, the
/// second is judged against the first: a submission enters the <see cref="ClaimGate"/> before its check and leaves it
/// once its command has finished, by when its claim is committed and filed in the claims index (or the command failed
/// and there is no claim). Submissions are one at a time; drafts, edits and reads do not pass the gate.
/// </summary>
public sealed class SubmissionJudge(ClaimGate gate, IClaimCollisionDetector collisions, CommandCompletion completion)
{
    public async Task<DuplicateAssessment> JudgeAsync(DealRegistration registration, CancellationToken cancellationToken)
    {
        await gate.Gate.WaitAsync(cancellationToken);
        completion.WhenFinished(() => gate.Gate.Release());
        return await collisions.AssessAsync(DuplicateQuery.For(registration), cancellationToken);
    }
}
