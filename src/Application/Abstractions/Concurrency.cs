namespace CoSell.Application.Abstractions;

public static class Concurrency
{
    /// <summary>Compares the version the caller read (If-Match) with the stored one.</summary>
    public static void Check(long current, long? expected, bool required)
    {
        if (expected is null)
        {
            if (required)
            {
                throw new PreconditionRequiredException();
            }

            return;
        }

        if (expected.Value != current)
        {
            // The web layer reads a tag it cannot take for a version as -1 (see ETags.ParseIfMatch).
            throw new PreconditionFailedException(current, namedNoVersion: expected.Value < 0);
        }
    }
}
