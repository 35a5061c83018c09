using System.Buffers;
using System.Reflection;
using System.Security.Claims;
using System.Text;
using CoSell.Web.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoSell.Web.Tests.Realtime;

/// <summary>
/// A call the hub cannot take as sent (its arguments unreadable, a method the hub does not have, the other kind of call
/// than its method's) reaches the hub filter as the kind of call its method takes, with its id and headers, marked
/// whatever the method's arity, and is refused and counted there before the method runs.
/// </summary>
public sealed class UnreadableArgumentsProtocolTests
{
    private static readonly UnreadableArgumentsProtocol Protocol = new(new JsonHubProtocol(), typeof(AnyHub));

    [Fact]
    public async Task AMethodWithoutParameters_CalledWithArguments_IsRefusedAndCounted_WithoutRunning()
    {
        var message = Parse("""{"type":1,"invocationId":"7","target":"Ping","arguments":[1,"two"]}""");

        var invocation = message.Should().BeOfType<InvocationMessage>().Subject;
        invocation.InvocationId.Should().Be("7");
        invocation.Target.Should().Be("Ping");
        var (refusal, ran, caller) = await ThroughTheFilter(nameof(AnyHub.Ping), invocation.Arguments);
        refusal.Should().Be("The arguments of Ping cannot be read: it takes no arguments.");
        ran.Should().BeFalse();
        caller.Items.Should().ContainSingle("the refusal is counted");
    }

    [Fact]
    public async Task AStreamingCallWithUnreadableArguments_StaysAStreamingCall_WithItsHeaders_AndIsRefused()
    {
        var message = Parse("""{"type":4,"invocationId":"8","target":"Countdown","arguments":["ten"],"streamIds":["s-1"],"headers":{"trace":"t-1"}}""");

        var stream = message.Should().BeOfType<StreamInvocationMessage>().Subject;
        stream.InvocationId.Should().Be("8");
        stream.Target.Should().Be("Countdown");
        stream.StreamIds.Should().BeNull("SignalR would refuse streams the method does not take before the filter, uncounted");
        stream.Headers.Should().Equal(new Dictionary<string, string> { ["trace"] = "t-1" });
        var (refusal, ran, _) = await ThroughTheFilter(nameof(AnyHub.Countdown), stream.Arguments);
        refusal.Should().Be("The arguments of Countdown cannot be read: it takes from (a number).");
        ran.Should().BeFalse();
    }

    [Fact]
    public void AStreamingCallWithoutAnId_BreaksTheProtocol_WhetherItsArgumentsAreReadOrNot()
    {
        FluentActions.Invoking(() => Parse("""{"type":4,"target":"Countdown","arguments":["ten"]}"""))
            .Should().Throw<InvalidDataException>().WithMessage("*invocationId*");
        FluentActions.Invoking(() => Parse("""{"type":4,"target":"Countdown","arguments":[10]}"""))
            .Should().Throw<InvalidDataException>().WithMessage("*invocationId*", "SignalR refuses it so with readable arguments");
    }

    [Fact]
    public void AnInvocationWithUnreadableArguments_KeepsItsHeaders_NotItsStreamIds()
    {
        var message = Parse("""{"type":1,"invocationId":"9","target":"Watch","arguments":[123],"streamIds":["s-2"],"headers":{"a":"b"}}""");

        var invocation = message.Should().BeOfType<InvocationMessage>().Subject;
        invocation.StreamIds.Should().BeNull("SignalR would refuse streams the method does not take before the filter, uncounted");
        invocation.Headers.Should().Equal(new Dictionary<string, string> { ["a"] = "b" });
        invocation.Arguments.Should().ContainSingle().Which.Should().BeOfType<UnreadableHubArgument>();
    }

    [Theory]
    [InlineData("""{"type":1,"invocationId":"15","target":"Watch","arguments":["7d7e3c6e-2f0e-4d38-9b8e-0e0f8e5b8a11"],"streamIds":["s-5"]}""", false)]
    [InlineData("""{"type":4,"invocationId":"15","target":"Countdown","arguments":[3],"streamIds":["s-5","s-6"]}""", true)]
    public async Task AReadableCallSendingStreams_IsRefusedAndCounted_ForNoMethodTakesOne(string json, bool streaming)
    {
        var message = Parse(json).Should().BeAssignableTo<HubMethodInvocationMessage>().Subject;

        (message is StreamInvocationMessage).Should().Be(streaming, "the call stays of its kind");
        message.InvocationId.Should().Be("15");
        message.StreamIds.Should().BeNull();
        var (refusal, ran, caller) = await ThroughTheFilter(message.Target, message.Arguments);
        refusal.Should().Be($"{message.Target} takes no stream from its caller: send its arguments alone.");
        ran.Should().BeFalse();
        caller.Items.Should().ContainSingle("the refusal is counted");
    }

    [Theory]
    [InlineData("Drop\\r\\nERROR forged line")]
    [InlineData("Drop\\u0000")]
    [InlineData("Drop\\u202eesabatad")]
    public void AMethodNameThatCouldForgeTheLog_IsNotSaidBack(string escapedName)
    {
        var invocation = Parse($$"""{"type":1,"invocationId":"16","target":"{{escapedName}}","arguments":[]}""").Should().BeOfType<InvocationMessage>().Subject;

        invocation.Arguments.Should().ContainSingle().Which.Should().BeOfType<UnreadableHubArgument>()
            .Which.Refusal.Should().Be("The hub has no method by the name sent.");
    }

    [Fact]
    public void AMethodNameLongerThanAnyMethodsName_IsNotSaidBack()
    {
        UnreadableArgumentsProtocol.NoSuchMethod(new string('A', UnreadableArgumentsProtocol.MaximumNameShown)).Should().Contain(new string('A', UnreadableArgumentsProtocol.MaximumNameShown));
        UnreadableArgumentsProtocol.NoSuchMethod(new string('A', UnreadableArgumentsProtocol.MaximumNameShown + 1)).Should().Be("The hub has no method by the name sent.");
        UnreadableArgumentsProtocol.NoSuchMethod("Watch Opportunity").Should().Be("The hub has no method Watch Opportunity.");
    }

    [Fact]
    public void AHubWithAMethodTakingAStreamFromItsCaller_CannotBeRead()
    {
        FluentActions.Invoking(() => new UnreadableArgumentsProtocol(new JsonHubProtocol(), typeof(HubTakingAStream)))
            .Should().Throw<ArgumentException>().WithMessage("*Upload takes a stream from its caller*");
    }

    [Fact]
    public void AReadableCall_OfTheKindItsMethodTakes_PassesAsSignalRReadsIt()
    {
        var id = Guid.NewGuid();
        Parse($$"""{"type":1,"invocationId":"10","target":"Watch","arguments":["{{id}}"]}""").Should().BeOfType<InvocationMessage>()
            .Which.Arguments.Should().Equal(id);
        Parse("""{"type":4,"invocationId":"11","target":"countdown","arguments":[3]}""").Should().BeOfType<StreamInvocationMessage>()
            .Which.Arguments.Should().Equal(3);
    }

    [Theory]
    [InlineData("""{"type":1,"invocationId":"12","target":"Nowhere","arguments":[1],"headers":{"a":"b"}}""", "12")]
    [InlineData("""{"type":4,"invocationId":"12","target":"Nowhere","arguments":[],"streamIds":["s-3"],"headers":{"a":"b"}}""", "12")]
    [InlineData("""{"type":1,"target":"Nowhere","arguments":[1],"headers":{"a":"b"}}""", null)]
    public async Task ACallToAMethodTheHubDoesNotHave_GoesToItsUnknownMethod_ToBeRefusedAndCounted_WithoutRunning(string json, string? invocationId)
    {
        var invocation = Parse(json).Should().BeOfType<InvocationMessage>().Subject;

        invocation.InvocationId.Should().Be(invocationId, "a call without an id is answered by nothing");
        invocation.Target.Should().Be(UnreadableArgumentsProtocol.UnknownMethod);
        invocation.StreamIds.Should().BeNull();
        invocation.Headers.Should().Equal(new Dictionary<string, string> { ["a"] = "b" });
        var (refusal, ran, caller) = await ThroughTheFilter(nameof(AnyHub.UnknownMethod), invocation.Arguments);
        refusal.Should().Be("The hub has no method Nowhere.");
        ran.Should().BeFalse();
        caller.Items.Should().ContainSingle("the refusal is counted");
    }

    [Theory]
    [InlineData("""{"type":4,"invocationId":"13","target":"watch","arguments":["7d7e3c6e-2f0e-4d38-9b8e-0e0f8e5b8a11"],"streamIds":["s-4"]}""")]
    [InlineData("""{"type":4,"invocationId":"13","target":"watch","arguments":[123]}""")]
    public async Task AStreamingCallToAMethodThatDoesNotStream_BecomesAPlainCall_RefusedForItsKind(string json)
    {
        var invocation = Parse(json).Should().BeOfType<InvocationMessage>().Subject;

        invocation.InvocationId.Should().Be("13");
        invocation.Target.Should().Be("watch");
        invocation.StreamIds.Should().BeNull("the method takes no stream from its caller");
        var (refusal, ran, caller) = await ThroughTheFilter(nameof(AnyHub.Watch), invocation.Arguments);
        refusal.Should().Be("watch does not stream: call it with a plain invocation.");
        ran.Should().BeFalse();
        caller.Items.Should().ContainSingle("the refusal is counted");
    }

    [Fact]
    public async Task APlainCallToAMethodThatStreams_BecomesAStreamingOne_OrWithoutAnId_GoesToTheUnknownMethod_RefusedForItsKind()
    {
        var stream = Parse("""{"type":1,"invocationId":"14","target":"Countdown","arguments":[3]}""").Should().BeOfType<StreamInvocationMessage>().Subject;
        stream.InvocationId.Should().Be("14");
        stream.Target.Should().Be("Countdown");
        (await ThroughTheFilter(nameof(AnyHub.Countdown), stream.Arguments)).Refusal.Should().Be("Countdown answers with a stream: call it with a streaming invocation.");

        var unanswered = Parse("""{"type":1,"target":"Countdown","arguments":["ten"]}""").Should().BeOfType<InvocationMessage>().Subject;
        unanswered.InvocationId.Should().BeNull();
        unanswered.Target.Should().Be(UnreadableArgumentsProtocol.UnknownMethod);
        var (refusal, ran, _) = await ThroughTheFilter(nameof(AnyHub.UnknownMethod), unanswered.Arguments);
        refusal.Should().Be("Countdown answers with a stream: call it with a streaming invocation.");
        ran.Should().BeFalse();
    }

    [Fact]
    public void AHubWithoutAnUnknownMethod_CannotBeRead()
    {
        FluentActions.Invoking(() => new UnreadableArgumentsProtocol(new JsonHubProtocol(), typeof(HubWithoutUnknownMethod)))
            .Should().Throw<ArgumentException>().WithMessage("*UnknownMethod*");
        FluentActions.Invoking(() => new UnreadableArgumentsProtocol(new JsonHubProtocol(), typeof(CoSellHub))).Should().NotThrow();
    }

    [Fact]
    public void SeveralCallsInOneRead_AreEachReadInTurn()
    {
        var input = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(
            "{\"type\":4,\"invocationId\":\"1\",\"target\":\"Countdown\",\"arguments\":[\"x\"]}\u001e{\"type\":1,\"target\":\"Ping\",\"arguments\":[]}\u001e"));

        Protocol.TryParseMessage(ref input, new Binder(), out var first).Should().BeTrue();
        Protocol.TryParseMessage(ref input, new Binder(), out var second).Should().BeTrue();

        first.Should().BeOfType<StreamInvocationMessage>();
        second.Should().BeOfType<InvocationMessage>().Which.Arguments.Should().BeEmpty();
        input.IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void EveryMethodOfTheHub_TakesOnlyWhatItsCallerSends_SoTheUnreadableMarkReachesTheFilter()
    {
        // SignalR rebuilds the arguments of a method that also takes a CancellationToken, a service or a client stream,
        // dropping any it cannot place: such a method would run with an unreadable call's arguments left empty.
        var methods = typeof(CoSellHub).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => !m.IsSpecialName && m.GetBaseDefinition().DeclaringType == typeof(CoSellHub));

        methods.Should().NotBeEmpty();
        foreach (var method in methods)
        {
            method.GetParameters().Where(p => !IsSent(p)).Should().BeEmpty($"{method.Name} takes only arguments its caller sends");
        }
    }

    private static bool IsSent(ParameterInfo parameter) =>
        parameter.ParameterType != typeof(CancellationToken) &&
        !parameter.ParameterType.IsInterface &&
        !(parameter.ParameterType.IsGenericType && parameter.ParameterType.GetGenericTypeDefinition() == typeof(System.Threading.Channels.ChannelReader<>)) &&
        !parameter.GetCustomAttributes().Any(a => a is Microsoft.AspNetCore.Http.Metadata.IFromServiceMetadata or FromKeyedServicesAttribute);

    private static HubMessage Parse(string json)
    {
        var input = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json + "\u001e"));
        Protocol.TryParseMessage(ref input, new Binder(), out var message).Should().BeTrue();
        input.IsEmpty.Should().BeTrue();
        return message!;
    }

    private static async Task<(string? Refusal, bool Ran, Caller Caller)> ThroughTheFilter(string method, object?[] arguments)
    {
        var caller = new Caller();
        var ran = false;
        var invocation = new HubInvocationContext(caller, new EmptyServices(), new AnyHub(), typeof(AnyHub).GetMethod(method)!, arguments);
        try
        {
            await new HubFailureLogging(NullLogger<HubFailureLogging>.Instance).InvokeMethodAsync(invocation, _ =>
            {
                ran = true;
                return ValueTask.FromResult<object?>(null);
            });
            return (null, ran, caller);
        }
        catch (HubException refused)
        {
            return (refused.Message, ran, caller);
        }
    }

    /// <summary>Answers as SignalR's binder does for a hub with these methods, named in any case: their parameters, or a refusal for any other name.</summary>
    private sealed class Binder : IInvocationBinder
    {
        private static readonly Dictionary<string, Type[]> Parameters = new(StringComparer.OrdinalIgnoreCase)
        {
            [nameof(AnyHub.Ping)] = [],
            [nameof(AnyHub.Watch)] = [typeof(Guid)],
            [nameof(AnyHub.Countdown)] = [typeof(int)],
            [nameof(AnyHub.UnknownMethod)] = [],
        };

        public IReadOnlyList<Type> GetParameterTypes(string methodName) =>
            Parameters.TryGetValue(methodName, out var types) ? types : throw new HubException("Method does not exist.");

        public Type GetReturnType(string invocationId) => typeof(object);

        public Type GetStreamItemType(string streamId) => typeof(object);
    }

    private sealed class AnyHub : Hub
    {
        public Task Ping() => Task.CompletedTask;

        public Task UnknownMethod() => Task.CompletedTask;

        public Task Watch(Guid id) => Task.FromResult(id);

        public async IAsyncEnumerable<int> Countdown(int from)
        {
            for (var i = from; i > 0; i--)
            {
                await Task.Yield();
                yield return i;
            }
        }
    }

    private sealed class HubTakingAStream : Hub
    {
        public Task UnknownMethod() => Task.CompletedTask;

        public async Task Upload(IAsyncEnumerable<int> numbers)
        {
            await foreach (var _ in numbers)
            {
            }
        }
    }

    private sealed class HubWithoutUnknownMethod : Hub
    {
        public Task Ping() => Task.CompletedTask;
    }

    private sealed class Caller : HubCallerContext
    {
        public override string ConnectionId => "connection-1";

        public override string? UserIdentifier => null;

        public override ClaimsPrincipal? User { get; } = new(new ClaimsIdentity([new Claim("sub", "user-7")], "test"));

        public override IDictionary<object, object?> Items { get; } = new Dictionary<object, object?>();

        public override Microsoft.AspNetCore.Http.Features.IFeatureCollection Features { get; } = new Microsoft.AspNetCore.Http.Features.FeatureCollection();

        public override CancellationToken ConnectionAborted => CancellationToken.None;

        public override void Abort()
        {
        }
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public object? GetService(Type serviceType) => null;
    }
}
