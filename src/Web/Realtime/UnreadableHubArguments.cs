using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace CoSell.Web.Realtime;

/// <summary>
/// A hub call the hub cannot take as sent is the caller's mistake, refused and counted as any other refusal: one whose
/// arguments cannot be read as its method's parameters (<c>WatchOpportunity(123)</c>, <c>WatchOpportunity("not-a-guid")</c>,
/// or any argument at all to a method that takes none), one naming a method the hub does not have (<c>DropDatabase</c>;
/// names are matched ignoring case, as SignalR matches them), a streaming call to a method that does not stream or a
/// plain one to a method that does, and a call that sends streams of its own (no method of the hub takes one). SignalR
/// answers each of them itself, before any hub filter runs, unseen by <see cref="HubFailureLogging"/>: this protocol
/// hands such a call on, with its invocation id and headers but without stream ids, as the kind of call its method takes,
/// with arguments that hold at least one <see cref="UnreadableHubArgument"/> whatever the method's arity, which the filter
/// refuses before the method runs. A call naming no method of the hub, and a plain call without
/// an id to a method that streams, go to the hub's <see cref="UnknownMethod"/>, which no client has reason to call.
/// </summary>
public sealed class UnreadableArgumentsProtocol : IHubProtocol
{
    /// <summary>The hub method a call is refused through when its own method cannot take it; the hub must have one.</summary>
    public const string UnknownMethod = "UnknownMethod";

    private readonly JsonHubProtocol _inner;

    // Whether each method of the hub streams, by the name a client calls it.
    private readonly Dictionary<string, bool> _streams;

    public UnreadableArgumentsProtocol(JsonHubProtocol inner, Type hub)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(hub);
        _inner = inner;
        _streams = MethodsOf(hub).ToDictionary(m => m.Name, m => Streams(m.Method), StringComparer.OrdinalIgnoreCase);
        if (!_streams.TryGetValue(UnknownMethod, out var streams) || streams)
        {
            throw new ArgumentException($"{hub.Name} has no method {UnknownMethod} that answers once, to refuse calls through.", nameof(hub));
        }

        // SignalR counts a call's stream ids against its method's stream parameters before any filter, so a method that took
        // one could not be refused through the filter; and it would rebuild such a method's arguments, dropping the mark.
        if (MethodsOf(hub).FirstOrDefault(m => m.Method.GetParameters().Any(p => Streams(p.ParameterType))) is { Method: not null } taker)
        {
            throw new ArgumentException($"{hub.Name}.{taker.Name} takes a stream from its caller, which this protocol cannot refuse.", nameof(hub));
        }
    }

    public string Name => _inner.Name;

    public int Version => _inner.Version;

    public TransferFormat TransferFormat => _inner.TransferFormat;

    public bool IsVersionSupported(int version) => _inner.IsVersionSupported(version);

    /// <summary>
    /// What a call naming a method the hub does not have is told. The name is the caller's, said back only when it could be
    /// a method's (short, of letters, digits, spaces and <c>_ . -</c>): the refusal is logged, and a name of line breaks or
    /// of thousands of characters would forge or flood the log.
    /// </summary>
    public static string NoSuchMethod(string target) =>
        target.Length is > 0 and <= MaximumNameShown && target.All(c => char.IsLetterOrDigit(c) || c is ' ' or '_' or '.' or '-')
            ? $"The hub has no method {target}."
            : "The hub has no method by the name sent.";

    /// <summary>The longest method name a refusal says back.</summary>
    public const int MaximumNameShown = 64;

    /// <summary>What a call sending streams of its own is told: no method of the hub takes one.</summary>
    public static string TakesNoStream(string target) => $"{target} takes no stream from its caller: send its arguments alone.";

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
    {
        var unread = input;
        try
        {
            if (!_inner.TryParseMessage(ref input, binder, out message))
            {
                if (input.Start.Equals(unread.Start))
                {
                    // Not whole yet: read on when more has come.
                    return false;
                }

                // A whole message of a type SignalR does not know, passed over as a ping: had it been answered as none,
                // SignalR would not read on past it, and the messages behind it would wait (and count against the size
                // of the next).
                message = PingMessage.Instance;
                return true;
            }
        }
        catch (InvalidDataException) when (Call.Of(unread) is { } call)
        {
            // A well-formed call whose arguments SignalR could not read, nested deeper than its reader goes (64 levels), is
            // the caller's mistake as any unreadable argument is, and is refused so, rather than closing the connection.
            input = unread.Slice(call.End);
            message = ParameterCountOf(binder, call.Target) is { } count
                ? Refused(call.InvocationId, call.Target, count, call.Streaming, null)
                : Marked(call.InvocationId, UnknownMethod, 0, false, null, NoSuchMethod(call.Target));
            return true;
        }

        switch (message)
        {
            case InvocationBindingFailureMessage failure:
                // SignalR's failure keeps the id, target and headers, not whether the call streams: that is read again from
                // the message's own text.
                var streaming = IsStreaming(unread.Slice(0, input.Start));
                if (streaming && string.IsNullOrEmpty(failure.InvocationId))
                {
                    // A streaming call without an id breaks the protocol whatever its arguments: SignalR closes the connection
                    // for one whose arguments it reads, and so for this one.
                    throw new InvalidDataException("Missing required property 'invocationId'.");
                }

                // SignalR's binder throws for a method the hub does not have.
                message = ParameterCountOf(binder, failure.Target) is { } count
                    ? Refused(failure.InvocationId, failure.Target, count, streaming, failure.Headers)
                    : Marked(failure.InvocationId, UnknownMethod, 0, false, failure.Headers, NoSuchMethod(failure.Target));
                break;
            case StreamInvocationMessage call when !_streams.GetValueOrDefault(call.Target):
                message = Refused(call.InvocationId, call.Target, call.Arguments.Length, true, call.Headers);
                break;
            case InvocationMessage call when _streams.GetValueOrDefault(call.Target):
                message = Refused(call.InvocationId, call.Target, call.Arguments.Length, false, call.Headers);
                break;
            case HubMethodInvocationMessage { StreamIds.Length: > 0 } call:
                // Read as sent, but with streams no method of the hub takes: SignalR would refuse it for them, uncounted.
                message = Marked(call.InvocationId, call.Target, call.Arguments.Length, call is StreamInvocationMessage, call.Headers, TakesNoStream(call.Target));
                break;
        }

        return true;
    }

    /// <summary>
    /// A call to one of the hub's methods that cannot take it as sent, handed on as the kind of call the method takes:
    /// refused for its kind when it is of the other, else for its arguments.
    /// </summary>
    private HubMessage Refused(string? invocationId, string target, int parameters, bool streaming, IDictionary<string, string>? headers)
    {
        var streams = _streams.GetValueOrDefault(target);
        if (streams == streaming)
        {
            return Marked(invocationId, target, parameters, streams, headers, null);
        }

        var refusal = streams
            ? $"{target} answers with a stream: call it with a streaming invocation."
            : $"{target} does not stream: call it with a plain invocation.";
        // A streaming call needs an id to answer; a plain call without one is refused, unanswered, through the hub's
        // method for calls it cannot take.
        return streams && string.IsNullOrEmpty(invocationId)
            ? Marked(null, UnknownMethod, 0, false, headers, refusal)
            : Marked(invocationId, target, parameters, streams, headers, refusal);
    }

    /// <summary>
    /// A refused call, marked. It carries no stream ids, whatever the caller sent: SignalR would answer ids its method does
    /// not take itself, before the filter, and no method of the hub takes any.
    /// </summary>
    private static HubMessage Marked(string? invocationId, string target, int parameters, bool streaming, IDictionary<string, string>? headers, string? refusal)
    {
        var arguments = new object?[Math.Max(parameters, 1)];
        Array.Fill(arguments, new UnreadableHubArgument(refusal));
        return streaming
            ? new StreamInvocationMessage(invocationId!, target, arguments) { Headers = headers }
            : new InvocationMessage(invocationId, target, arguments) { Headers = headers };
    }

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => _inner.WriteMessage(message, output);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => _inner.GetMessageBytes(message);

    private static int? ParameterCountOf(IInvocationBinder binder, string target)
    {
        try
        {
            return binder.GetParameterTypes(target).Count;
        }
        catch (HubException)
        {
            return null;
        }
    }

    /// <summary>
    /// The methods a client may call on the hub, as SignalR finds them: its public instance methods other than those of
    /// <see cref="Hub"/>, <see cref="object"/> and <see cref="IDisposable"/>, each by its <see cref="HubMethodNameAttribute"/>
    /// or else its own name.
    /// </summary>
    private static IEnumerable<(string Name, MethodInfo Method)> MethodsOf(Type hub) =>
        hub.GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Except(typeof(IDisposable).IsAssignableFrom(hub) ? hub.GetInterfaceMap(typeof(IDisposable)).TargetMethods : [])
            .Where(m => !m.IsSpecialName && m.GetBaseDefinition().DeclaringType is { } declaring && declaring != typeof(object) &&
                (declaring.IsGenericType ? declaring.GetGenericTypeDefinition() : declaring) is var origin && origin != typeof(Hub) && origin != typeof(Hub<>))
            .Select(m => (m.GetCustomAttribute<HubMethodNameAttribute>()?.Name ?? m.Name, m));

    /// <summary>Whether SignalR streams a method's result: a <see cref="ChannelReader{T}"/> or an <see cref="IAsyncEnumerable{T}"/>, awaited or not.</summary>
    private static bool Streams(MethodInfo method) => Streams(method.ReturnType);

    /// <summary>Whether a type is a stream to SignalR (a <see cref="ChannelReader{T}"/> or an <see cref="IAsyncEnumerable{T}"/>), awaited or not.</summary>
    private static bool Streams(Type type)
    {
        var result = type;
        if (result.IsGenericType && (result.GetGenericTypeDefinition() == typeof(Task<>) || result.GetGenericTypeDefinition() == typeof(ValueTask<>)))
        {
            result = result.GetGenericArguments()[0];
        }

        for (var current = result; current is not null; current = current.BaseType)
        {
            if (current.IsGenericType && current.GetGenericTypeDefinition() == typeof(ChannelReader<>))
            {
                return true;
            }
        }

        return result.GetInterfaces().Append(result).Any(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>));
    }

    /// <summary>
    /// The invocation a JSON hub message at the start of <c>input</c> makes, read with no bound on its nesting: its id,
    /// target and kind, and where it ends (past its record separator); null unless the message is whole, valid JSON, a
    /// plain or streaming invocation with a target and, if any, an id that are strings (a streaming one's not empty), and
    /// its arguments nest deeper than SignalR's reader goes, so that they are what it could not read.
    /// </summary>
    private sealed record Call(string? InvocationId, string Target, bool Streaming, SequencePosition End)
    {
        /// <summary>The nesting SignalR's JSON reader goes to (System.Text.Json's default), the message's own object its first level.</summary>
        private const int SignalRMaximumDepth = 63;

        public static Call? Of(ReadOnlySequence<byte> input)
        {
            if (input.PositionOf((byte)0x1E) is not { } separator)
            {
                return null;
            }

            try
            {
                var reader = new Utf8JsonReader(input.Slice(0, separator), new JsonReaderOptions { MaxDepth = int.MaxValue });
                if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                {
                    return null;
                }

                (int? type, string? id, string? target, var tooDeep) = (null, null, null, false);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = reader.GetString();
                    reader.Read();
                    switch (name)
                    {
                        case "type" when reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var number):
                            type = number;
                            break;
                        case "invocationId" when reader.TokenType == JsonTokenType.String:
                            id = reader.GetString();
                            break;
                        case "target" when reader.TokenType == JsonTokenType.String:
                            target = reader.GetString();
                            break;
                        case "type" or "invocationId" or "target":
                            return null;
                        case "arguments" when reader.TokenType == JsonTokenType.StartArray:
                            var depth = reader.CurrentDepth;
                            while (reader.Read() && reader.CurrentDepth > depth)
                            {
                                tooDeep |= reader.CurrentDepth - depth >= SignalRMaximumDepth;
                            }

                            break;
                        default:
                            reader.Skip();
                            break;
                    }
                }

                var streaming = type == HubProtocolConstants.StreamInvocationMessageType;
                return reader.TokenType == JsonTokenType.EndObject && !reader.Read() && target is not null && tooDeep
                    && (type == HubProtocolConstants.InvocationMessageType || (streaming && !string.IsNullOrEmpty(id)))
                    ? new Call(id, target, streaming, input.GetPosition(1, separator))
                    : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    /// <summary>Whether one JSON hub message (its record separator included) is a streaming invocation.</summary>
    private static bool IsStreaming(ReadOnlySequence<byte> record)
    {
        var reader = new Utf8JsonReader(record.Slice(0, record.Length - 1));
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var type = reader.ValueTextEquals("type");
            reader.Read();
            if (type && reader.TokenType == JsonTokenType.Number)
            {
                return reader.GetInt32() == HubProtocolConstants.StreamInvocationMessageType;
            }

            reader.Skip();
        }

        return false;
    }
}

/// <summary>
/// Stands for the arguments of a hub call the hub cannot take as sent: unreadable as its method's parameters, or, with
/// the refusal to give, naming no method of the hub or of the other kind than its method's.
/// </summary>
public sealed class UnreadableHubArgument(string? refusal = null)
{
    /// <summary>What the call is told; without one, that its arguments cannot be read.</summary>
    public string? Refusal { get; } = refusal;
}

public static class UnreadableHubArguments
{
    /// <summary>
    /// Reads calls to <typeparamref name="THub"/>, the service's one hub, with SignalR's JSON protocol, as configured,
    /// handing calls it cannot take as sent to the hub filters.
    /// </summary>
    public static ISignalRServerBuilder RefuseUnreadableArguments<THub>(this ISignalRServerBuilder signalR)
        where THub : Hub
    {
        ArgumentNullException.ThrowIfNull(signalR);
        // SignalR's own JSON protocol gives way; any other protocol stays as registered.
        foreach (var json in signalR.Services.Where(d => d.ServiceType == typeof(IHubProtocol) && d.ImplementationType == typeof(JsonHubProtocol)).ToList())
        {
            signalR.Services.Remove(json);
        }

        signalR.Services.AddSingleton<IHubProtocol>(services =>
            new UnreadableArgumentsProtocol(new JsonHubProtocol(services.GetRequiredService<IOptions<JsonHubProtocolOptions>>()), typeof(THub)));
        return signalR;
    }
}
