namespace CoSell.Web.Http;

/// <summary>
/// A start that fails as Kestrel binds what it was told to listen on: an address something else holds, one it cannot
/// read (<c>notaurl</c>, a port over 65535), or an HTTPS endpoint whose certificate it cannot load. Each is a setting
/// the operator gave (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, <c>Kestrel:Endpoints</c>), so the start is refused naming it,
/// as every refused start is, rather than end in the host's stack trace.
/// </summary>
public static class ListenFailure
{
    /// <summary>Whether the failure, or one it wraps, was thrown while Kestrel read or bound its endpoints.</summary>
    public static bool Is(Exception? failure)
    {
        for (var current = failure; current is not null; current = current.InnerException)
        {
            if (current is Microsoft.AspNetCore.Connections.AddressInUseException
                || current.StackTrace?.Contains("Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal) == true)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What the operator is told: what failed, and where the addresses and certificates are given.</summary>
    public static string Describe(Exception failure) =>
        failure is IOException { InnerException: Microsoft.AspNetCore.Connections.AddressInUseException }
            ? $"CoSell cannot listen where it is told to: {failure.Message} Stop what listens there, or give another address with --urls (or ASPNETCORE_URLS without the launch profile)."
            : $"CoSell cannot listen as it is told to: {failure.Message} Correct the address or the certificate it is given (--urls, ASPNETCORE_URLS, Kestrel:Endpoints or Kestrel:Certificates).";
}
