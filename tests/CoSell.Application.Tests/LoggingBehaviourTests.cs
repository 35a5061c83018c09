using CoSell.Application.Abstractions;
using CoSell.Application.Behaviours;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CoSell.Application.Tests;

public sealed class LoggingBehaviourTests
{
    private sealed record Ping : MediatR.IRequest<string>;

    private sealed record HubPing(Viewer Viewer) : MediatR.IRequest<string>, IMadeForViewer;

    private sealed class Recording : Recording<Ping>;

    private class Recording<TRequest> : ILogger<LoggingBehaviour<TRequest, string>>
        where TRequest : MediatR.IRequest<string>
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }

    [Theory]
    [InlineData(120, LogLevel.Debug)]
    [InlineData(500, LogLevel.Debug)]
    [InlineData(501, LogLevel.Warning)]
    [InlineData(800, LogLevel.Warning)]
    public async Task EachRequest_IsLoggedWithItsCallerAndDuration_ASlowOneAsAWarning(int milliseconds, LogLevel level)
    {
        var time = new FakeTimeProvider();
        var log = new Recording();
        var user = new TestUser();
        user.Is(Guid.Parse("00000000-0000-0000-0000-0000000000a1"), "rep");
        var behaviour = new LoggingBehaviour<Ping, string>(log, user, time);

        var answer = await behaviour.Handle(new Ping(), CancellationToken.None, () =>
        {
            time.Advance(TimeSpan.FromMilliseconds(milliseconds));
            return Task.FromResult("pong");
        });

        answer.Should().Be("pong");
        log.Entries.Should().ContainSingle().Which.Should().Be((level, $"Ping for 00000000-0000-0000-0000-0000000000a1 took {milliseconds} ms"));
    }

    [Fact]
    public async Task AFailingRequest_IsLoggedToo_AndTheFailureGoesOn()
    {
        var time = new FakeTimeProvider();
        var log = new Recording();
        var behaviour = new LoggingBehaviour<Ping, string>(log, new TestUser(), time);

        var act = () => behaviour.Handle(new Ping(), CancellationToken.None, () => throw new InvalidOperationException("refused"));

        await act.Should().ThrowAsync<InvalidOperationException>();
        log.Entries.Should().ContainSingle().Which.Message.Should().Be("Ping for anonymous took 0 ms");
    }

    [Fact]
    public async Task ARequestMadeForAViewer_IsLoggedAsThatViewers_WhereNoHttpRequestNamesTheUser()
    {
        var log = new Recording<HubPing>();
        var behaviour = new LoggingBehaviour<HubPing, string>(log, new TestUser(), new FakeTimeProvider());

        await behaviour.Handle(new HubPing(new Viewer("20000000-0000-0000-0000-000000000001", "partner", null)), CancellationToken.None, () => Task.FromResult("pong"));

        log.Entries.Should().ContainSingle().Which.Message.Should().Be("HubPing for 20000000-0000-0000-0000-000000000001 took 0 ms");
    }
}
