using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace CoSell.Web.Identity;

/// <summary>
/// Tells a token refused for want of a key from one whose keys could not be read. Under an authority the identity
/// libraries read the keys from its metadata, and when they cannot (an address mistyped, the provider down) they go on
/// without them and say so only in their own log: every token then fails as if badly signed. Such a refusal is made a
/// 503 instead (<see cref="IdentityProviderKeysUnavailableException"/>), and the log names the authority once a minute.
/// </summary>
internal sealed class IdentityProviderKeys(string? authority)
{
    private long _lastUnreadable;
    private long _lastLogged;

    public async Task CheckAsync(AuthenticationFailedContext context)
    {
        if (context.Exception is not SecurityTokenSignatureKeyNotFoundException || context.Options.ConfigurationManager is not { } manager)
        {
            return;
        }

        // Found unreadable in the last ten seconds: not fetched again, each time behind the token validator's own fetch.
        var failedAt = Interlocked.Read(ref _lastUnreadable);
        if (failedAt != 0 && Environment.TickCount64 - failedAt < 10_000)
        {
            context.Fail(new IdentityProviderKeysUnavailableException());
            return;
        }

        try
        {
            await manager.GetConfigurationAsync(context.HttpContext.RequestAborted);
        }
        catch (OperationCanceledException) when (context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            // The caller went away while the keys were fetched: nothing to answer, nothing to log.
        }
        catch (Exception e)
        {
            var now = Environment.TickCount64;
            Interlocked.Exchange(ref _lastUnreadable, now);
            var last = Interlocked.Read(ref _lastLogged);
            if ((last == 0 || now - last >= 60_000) && Interlocked.CompareExchange(ref _lastLogged, now, last) == last)
            {
                context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(Authentication).FullName!).LogWarning(
                    "The signing keys of the identity provider {Authority} cannot be read ({Reason}): no token verifies until they can. Check Auth:Authority and that the provider answers",
                    authority, e.GetBaseException().Message);
            }

            context.Fail(new IdentityProviderKeysUnavailableException());
        }
    }
}
