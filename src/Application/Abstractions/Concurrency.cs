namespace CoSell.Application.Abstractions;

public static class Concurrency
{
    /// <summary>Compares the versions the caller read (If-Match) with the stored one.</summary>
    public static void Check(long current, IfMatch? expected, bool required)
    {
        if (expected is not { } named)
        {
            if (required)
            {
                throw new PreconditionRequiredException();
            }

            return;
        }

        if (!named.Matches(current))
        {
            throw new PreconditionFailedException(current, namedNoVersion: !named.NamesAVersion);
        }
    }
}
