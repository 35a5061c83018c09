using System.Security.Claims;
using CoSell.Web.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Serilog.Events;

namespace CoSell.Web.Tests.Realtime;

/// <summary>A refusal is recorded once, at Information; a fault keeps SignalR's own Error entry.</summary>
public sealed class HubFailureLoggingTests
{
    [Theory]
    [InlineData(HubFailureLogging.DispatcherCategory, typeof(HubException), true)]
    [InlineData(HubFailureLogging.DispatcherCategory, typeof(InvalidOperationException), false)]
    [InlineData("Microsoft.AspNetCore.SignalR.HubConnectionHandler", typeof(HubException), false)]
    [InlineData("CoSell.Web.Realtime.HubFailureLogging", typeof(HubException), false)]
    public void OnlyTheDispatchersEntryForARefusal_IsDropped(string category, Type exception, bool dropped)
    {
        var entry = new LogEvent(
            DateTimeOffset.UtcNow,
            LogEventLevel.Error,
            (Exception)Activator.CreateInstance(exception, "failed")!,
            MessageTemplate.Empty,
            [new LogEventProperty("SourceContext", new ScalarValue(category))]);

        HubFailureLogging.IsRefusalLoggedByDispatcher(entry).Should().Be(dropped);
    }

    [Fact]
    public async Task ARefusal_IsLoggedAsInformation_AndStillReachesTheCaller()
    {
        var log = new Recorded();

        var call = () => new HubFailureLogging(log).InvokeMethodAsync(Invocation(), _ => ValueTask.FromException<object?>(new HubException("You cannot watch this opportunity."))).AsTask();

        await call.Should().ThrowAsync<HubException>();
        log.Entries.Should().ContainSingle().Which.Should().Be((LogLevel.Information, $"Hub call WatchOpportunity refused for {Domain.Users.UserIds.FromSubject("user-7")}: You cannot watch this opportunity.", (Exception?)null));
    }

    [Fact]
    public async Task ACallWhoseArgumentsCannotBeRead_IsRefusedAndCounted_WithoutRunningTheMethod()
    {
        var log = new Recorded();
        var caller = new Caller();
        var ran = false;
        var invocation = new HubInvocationContext(caller, new EmptyServices(), new Caller.AnyHub(), typeof(CoSellHub).GetMethod(nameof(CoSellHub.WatchOpportunity))!, [new UnreadableHubArgument()]);

        var call = () => new HubFailureLogging(log).InvokeMethodAsync(invocation, _ =>
        {
            ran = true;
            return ValueTask.FromResult<object?>(null);
        }).AsTask();

        (await call.Should().ThrowAsync<HubException>()).Which.Message.Should().Be("The arguments of WatchOpportunity cannot be read: it takes opportunityId (a GUID in a string).");
        ran.Should().BeFalse();
        log.Entries.Should().ContainSingle().Which.Level.Should().Be(LogLevel.Information);
        caller.Items.Should().ContainSingle("the refusal is counted");
    }

    [Fact]
    public async Task AConnectionProbingIds_HasItsFirstTenRefusalsLogged_AndIsClosedAtTheHundredthWithOneWarning()
    {
        var log = new Recorded();
        var time = new FakeTimeProvider();
        var filter = new HubFailureLogging(log) { CloseClock = time };
        var caller = new Caller();

        for (var i = 0; i < HubFailureLogging.MaximumRefusals; i++)
        {
            var call = () => filter.InvokeMethodAsync(Invocation(caller), _ => ValueTask.FromException<object?>(new HubException("You cannot watch this opportunity."))).AsTask();
            var refused = await call.Should().ThrowAsync<HubException>();
            var last = i == HubFailureLogging.MaximumRefusals - 1;
            refused.Which.Message.Should().Be(last ? $"You cannot watch this opportunity. {HubFailureLogging.Closing}" : "You cannot watch this opportunity.");
            caller.Aborted.Should().Be(0, "a refusal is answered before any close");
        }

        time.Advance(HubFailureLogging.AnswerBeforeClose);
        caller.Aborted.Should().Be(1, "the hundredth refusal closes the connection once answered");

        log.Entries.Count(e => e.Level == LogLevel.Information).Should().Be(HubFailureLogging.LoggedRefusals);
        log.Entries.Where(e => e.Level == LogLevel.Warning).Should().ContainSingle().Which.Message.Should().Contain("after 100 refused calls");

        // Each connection counts its own refusals: another one's first, through the same filter, is answered plainly and
        // logged, and closes nothing.
        var other = new Caller();
        var first = () => filter.InvokeMethodAsync(Invocation(other), _ => ValueTask.FromException<object?>(new HubException("You cannot watch this opportunity."))).AsTask();
        (await first.Should().ThrowAsync<HubException>()).Which.Message.Should().Be("You cannot watch this opportunity.");
        time.Advance(HubFailureLogging.AnswerBeforeClose);
        other.Aborted.Should().Be(0);
        log.Entries.Count(e => e.Level == LogLevel.Information).Should().Be(HubFailureLogging.LoggedRefusals + 1);
    }

    [Fact]
    public async Task ACallCutShortByItsConnectionClosing_IsNoFailure_ButOneCancelledOnAnOpenConnectionIs()
    {
        var log = new Recorded();
        var filter = new HubFailureLogging(log);
        using var closed = new CancellationTokenSource();
        await closed.CancelAsync();

        (await filter.InvokeMethodAsync(Invocation(new Caller(closed.Token)), _ => ValueTask.FromException<object?>(new TaskCanceledException()))).Should().BeNull();
        log.Entries.Should().ContainSingle().Which.Level.Should().Be(LogLevel.Debug, "a closed tab is not an error of the service");

        var open = () => filter.InvokeMethodAsync(Invocation(), _ => ValueTask.FromException<object?>(new TaskCanceledException())).AsTask();
        await open.Should().ThrowAsync<TaskCanceledException>("a call cancelled while its connection lives failed, and SignalR logs it so");
        log.Entries.Should().ContainSingle();
    }

    private static HubInvocationContext Invocation(Caller? caller = null) =>
        new(caller ?? new Caller(), new EmptyServices(), new Caller.AnyHub(), typeof(CoSellHub).GetMethod(nameof(CoSellHub.WatchOpportunity))!, [Guid.NewGuid()]);

    private sealed class Recorded : ILogger<HubFailureLogging>
    {
        public List<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception), exception));
    }

    private sealed class Caller(CancellationToken connectionAborted = default) : HubCallerContext
    {
        public override string ConnectionId => "connection-1";

        public override string? UserIdentifier => null;

        public override ClaimsPrincipal? User { get; } = new(new ClaimsIdentity([new Claim("sub", "user-7")], "test"));

        public override IDictionary<object, object?> Items { get; } = new Dictionary<object, object?>();

        public override Microsoft.AspNetCore.Http.Features.IFeatureCollection Features { get; } = new Microsoft.AspNetCore.Http.Features.FeatureCollection();

        public override CancellationToken ConnectionAborted => connectionAborted;

        public int Aborted { get; private set; }

        public override void Abort() => Aborted++;

        public sealed class AnyHub : Hub;
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
