using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace CoSell.Web.Realtime;

/// <summary>
/// A hub call whose arguments cannot be read as its method's parameters (<c>WatchOpportunity(123)</c>,
/// <c>WatchOpportunity("not-a-guid")</c>, or any argument at all to a method that takes none) is the caller's mistake,
/// refused and counted as any other refusal. SignalR binds arguments while it reads the message, before any hub filter
/// runs, and answers a failure itself, unseen by <see cref="HubFailureLogging"/>: this protocol hands such a call on to
/// the hub method it names as the same kind of call (an invocation, or a streaming one), with its invocation id, stream
/// ids and headers, and arguments that hold at least one <see cref="UnreadableHubArgument"/> whatever the method's
/// arity, which the filter refuses before the method runs. A call to a method the hub does not have stays SignalR's to
/// answer.
/// </summary>
public sealed class UnreadableArgumentsProtocol(JsonHubProtocol inner) : IHubProtocol
{
    public string Name => inner.Name;

    public int Version => inner.Version;

    public TransferFormat TransferFormat => inner.TransferFormat;

    public bool IsVersionSupported(int version) => inner.IsVersionSupported(version);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
    {
        var unread = input;
        if (!inner.TryParseMessage(ref input, binder, out message))
        {
            return false;
        }

        if (message is InvocationBindingFailureMessage failure && ParameterCountOf(binder, failure.Target) is { } count)
        {
            // SignalR's failure keeps the id, target and headers, not whether the call streams nor its stream ids:
            // those are read again from the message's own text.
            var (streaming, streamIds) = KindOf(unread.Slice(0, input.Start));
            if (streaming && string.IsNullOrEmpty(failure.InvocationId))
            {
                // A streaming call without an id breaks the protocol whatever its arguments: SignalR closes the connection
                // for one whose arguments it reads, and so for this one.
                throw new InvalidDataException("Missing required property 'invocationId'.");
            }

            var arguments = new object?[Math.Max(count, 1)];
            Array.Fill(arguments, new UnreadableHubArgument());
            message = streaming
                ? new StreamInvocationMessage(failure.InvocationId!, failure.Target, arguments, streamIds) { Headers = failure.Headers }
                : new InvocationMessage(failure.InvocationId, failure.Target, arguments, streamIds) { Headers = failure.Headers };
        }

        return true;
    }

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => inner.WriteMessage(message, output);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => inner.GetMessageBytes(message);

    // SignalR's binder throws for a method the hub does not have.
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

    /// <summary>Whether one JSON hub message (its record separator included) is a streaming invocation, and its stream ids.</summary>
    private static (bool Streaming, string[]? StreamIds) KindOf(ReadOnlySequence<byte> record)
    {
        var reader = new Utf8JsonReader(record.Slice(0, record.Length - 1));
        var (streaming, streamIds) = (false, (string[]?)null);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = reader.ValueTextEquals("type") ? "type" : reader.ValueTextEquals("streamIds") ? "streamIds" : null;
            reader.Read();
            if (property == "type" && reader.TokenType == JsonTokenType.Number)
            {
                streaming = reader.GetInt32() == HubProtocolConstants.StreamInvocationMessageType;
            }
            else if (property == "streamIds" && reader.TokenType == JsonTokenType.StartArray)
            {
                List<string> ids = [];
                while (reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    ids.Add(reader.GetString()!);
                }

                streamIds = [.. ids];
            }
            else
            {
                reader.Skip();
            }
        }

        return (streaming, streamIds);
    }
}

/// <summary>Stands for an argument of a hub call that could not be read as its parameter's type.</summary>
public sealed class UnreadableHubArgument;

public static class UnreadableHubArguments
{
    /// <summary>Reads hub calls with SignalR's JSON protocol, as configured, handing unreadable arguments to the hub filters.</summary>
    public static ISignalRServerBuilder RefuseUnreadableArguments(this ISignalRServerBuilder signalR)
    {
        ArgumentNullException.ThrowIfNull(signalR);
        // SignalR's own JSON protocol gives way; any other protocol stays as registered.
        foreach (var json in signalR.Services.Where(d => d.ServiceType == typeof(IHubProtocol) && d.ImplementationType == typeof(JsonHubProtocol)).ToList())
        {
            signalR.Services.Remove(json);
        }

        signalR.Services.AddSingleton<IHubProtocol>(services =>
            new UnreadableArgumentsProtocol(new JsonHubProtocol(services.GetRequiredService<IOptions<JsonHubProtocolOptions>>())));
        return signalR;
    }
}
