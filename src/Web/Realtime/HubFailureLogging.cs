using CoSell.Web.Identity;
using Microsoft.AspNetCore.SignalR;
using Serilog.Events;

namespace CoSell.Web.Realtime;

/// <summary>
/// A refused hub call (a <see cref="HubException"/>: watching an opportunity one may not) is the caller's mistake,
/// not a fault of the service. SignalR's dispatcher logs it at Error like any failure, so a client probing ids
/// would fill the error log: this filter records the refusal at Information, and the host drops the dispatcher's
/// own entry for it (<see cref="IsRefusalLoggedByDispatcher"/>). A call cut short because its connection closed (a tab
/// shut mid-call) is no failure either: it is recorded at Debug and answers nobody. Every other failure stays the
/// dispatcher's to log at Error, including those outside the filter (creating the hub, authorising the call, writing
/// the result). A call the hub cannot take as sent (its arguments unreadable as the method's parameters, a method the hub
/// does not have, a streaming call to a method that does not stream or the reverse) reaches this filter marked
/// (<see cref="UnreadableArgumentsProtocol"/>) and is refused here, before the method runs. The hundredth refusal of a
/// connection says that it closes the connection, and closes it once that answer has gone out; a call the connection
/// sends meanwhile is refused so, without running.
/// </summary>
public sealed class HubFailureLogging(ILogger<HubFailureLogging> logger) : IHubFilter
{
    /// <summary>
    /// The clock a closing connection waits on: the wall clock, as the transport keeps it, not the service's clock of
    /// deadlines and SLAs.
    /// </summary>
    public TimeProvider CloseClock { get; init; } = TimeProvider.System;

    /// <summary>The category under which SignalR logs every failed hub call.</summary>
    public const string DispatcherCategory = "Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher";

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        ArgumentNullException.ThrowIfNull(invocationContext);
        ArgumentNullException.ThrowIfNull(next);
        if (invocationContext.Context.Items.ContainsKey(CloseKey))
        {
            // The connection closes once the hundredth refusal is answered: calls it sent meanwhile are refused, not run.
            throw new HubException(Closing);
        }

        try
        {
            if (invocationContext.HubMethodArguments.OfType<UnreadableHubArgument>().FirstOrDefault() is { } unreadable)
            {
                throw new HubException(unreadable.Refusal ?? Unreadable(invocationContext));
            }

            return await next(invocationContext);
        }
        catch (HubException refused)
        {
            // One connection probing ids gets its first refusals logged and is then closed: a client that means well
            // is refused a few times at most, so neither the log nor the server spends more on one that does not.
            var items = invocationContext.Context.Items;
            var count = items.TryGetValue(RefusalsKey, out var seen) && seen is int n ? n + 1 : 1;
            items[RefusalsKey] = count;
            if (count <= LoggedRefusals)
            {
                logger.LogInformation("Hub call {Method} refused for {User}: {Reason}", invocationContext.HubMethodName, UserOf(invocationContext), refused.Message);
            }

            if (count == MaximumRefusals)
            {
                logger.LogWarning("Closing the hub connection of {User} after {Count} refused calls", UserOf(invocationContext), count);
                CloseOnceAnswered(invocationContext.Context);
                throw new HubException($"{refused.Message} {Closing}");
            }

            throw;
        }
        catch (OperationCanceledException) when (invocationContext.Context.ConnectionAborted.IsCancellationRequested)
        {
            logger.LogDebug("Hub call {Method} of {User} ended with its connection", invocationContext.HubMethodName, UserOf(invocationContext));
            return null;
        }
    }

    /// <summary>Refusals logged per connection; the rest are only counted.</summary>
    public const int LoggedRefusals = 10;

    /// <summary>Refusals after which a connection is closed (its client may connect again).</summary>
    public const int MaximumRefusals = 100;

    /// <summary>What the hundredth refusal adds, so that its caller knows why the connection closes.</summary>
    public const string Closing = "This connection closes now, after 100 refused calls; connect again to go on.";

    /// <summary>How long the hundredth refusal has to reach its caller before its connection closes.</summary>
    public static readonly TimeSpan AnswerBeforeClose = TimeSpan.FromMilliseconds(100);

    private static readonly object RefusalsKey = new();

    private static readonly object CloseKey = new();

    /// <summary>
    /// Closes the connection once the refusal is answered: SignalR writes the answer as soon as the call has thrown, and a
    /// connection closed under the call would drop it. The timer is held by the connection, which outlives it.
    /// </summary>
    private void CloseOnceAnswered(HubCallerContext connection) =>
        connection.Items[CloseKey] = CloseClock.CreateTimer(state => ((HubCallerContext)state!).Abort(), connection, AnswerBeforeClose, Timeout.InfiniteTimeSpan);

    /// <summary>Whether a log event is SignalR's Error entry for a refusal this filter has already recorded.</summary>
    public static bool IsRefusalLoggedByDispatcher(LogEvent logEvent) =>
        logEvent is { Exception: HubException } &&
        logEvent.Properties.TryGetValue("SourceContext", out var source) &&
        source is ScalarValue { Value: DispatcherCategory };

    /// <summary>What a call whose arguments cannot be read is told: what the method takes, in JSON's words.</summary>
    private static string Unreadable(HubInvocationContext invocation)
    {
        var parameters = invocation.HubMethod.GetParameters()
            .Where(p => p.ParameterType != typeof(CancellationToken))
            .Select(p => $"{p.Name} ({JsonKindOf(p.ParameterType)})")
            .ToList();
        return $"The arguments of {invocation.HubMethodName} cannot be read: it takes {(parameters.Count == 0 ? "no arguments" : string.Join(", ", parameters))}.";
    }

    private static string JsonKindOf(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(Guid) => "a GUID in a string",
        var t when t == typeof(string) => "a string",
        var t when t == typeof(bool) => "true or false",
        var t when t.IsPrimitive || t == typeof(decimal) => "a number",
        _ => "an object",
    };

    private static string UserOf(HubInvocationContext invocation) =>
        invocation.Context.User.CoSellUserId() is { Length: > 0 } id ? id : "anonymous";
}
