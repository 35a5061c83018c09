using CoSell.Web.Identity;
using Microsoft.AspNetCore.SignalR;

namespace CoSell.Web.Realtime;

/// <summary>
/// Logs a failed hub call once, at the level it deserves. A refusal (a <see cref="HubException"/>: watching an
/// opportunity one may not) is the caller's mistake and goes to Information; anything else is a fault of the service
/// and goes to Error with its exception. SignalR's dispatcher would log both at Error, so its own log is quietened
/// where the host configures logging (<see cref="Category"/>).
/// </summary>
public sealed class HubFailureLogging(ILogger<HubFailureLogging> logger) : IHubFilter
{
    /// <summary>The category under which SignalR logs every failed hub call at Error.</summary>
    public const string Category = "Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        ArgumentNullException.ThrowIfNull(invocationContext);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(invocationContext);
        }
        catch (HubException refused)
        {
            logger.LogInformation("Hub call {Method} refused for {User}: {Reason}", invocationContext.HubMethodName, UserOf(invocationContext), refused.Message);
            throw;
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            logger.LogError(failure, "Hub call {Method} failed for {User}", invocationContext.HubMethodName, UserOf(invocationContext));
            throw;
        }
    }

    private static string UserOf(HubInvocationContext invocation) =>
        invocation.Context.User?.FindFirst(CoSellClaims.Subject)?.Value ?? "anonymous";
}
