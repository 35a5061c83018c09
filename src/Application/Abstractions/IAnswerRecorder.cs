namespace CoSell.Application.Abstractions;

/// <summary>
/// Stores, in a command's own commit, something its caller makes from the command's response: the Web layer's first
/// answer to an <c>Idempotency-Key</c>, so that a create is never stored without it, nor it without the create.
/// </summary>
public interface IAnswerRecorder
{
    /// <summary>Called by the unit of work once the command's handler has answered, just before the commit.</summary>
    void BeforeCommit(object? response);

    /// <summary>Forgets the answer recorded for a commit that failed: the command's next attempt records its own.</summary>
    void Discard();
}

/// <summary>Records nothing: hosts whose callers keep no answers (tests, benchmarks, maintenance tools).</summary>
public sealed class NoAnswerRecorder : IAnswerRecorder
{
    public void BeforeCommit(object? response)
    {
    }

    public void Discard()
    {
    }
}
