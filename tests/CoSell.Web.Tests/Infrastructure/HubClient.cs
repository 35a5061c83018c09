using System.Collections.Concurrent;
using CoSell.Application.Abstractions;
using CoSell.Web.Http;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace CoSell.Web.Tests.Infrastructure;

/// <summary>
/// A real SignalR client connected to the test server, recording every message in arrival order. A hub
/// connection delivers in order, so "nothing arrived" is asserted by waiting for a later marker message.
/// </summary>
public sealed class HubClient : IAsyncDisposable
{
    private readonly ConcurrentQueue<(string Method, object Message)> _received = new();
    private readonly SemaphoreSlim _arrived = new(0);
    private readonly TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HubClient(HubConnection connection)
    {
        Connection = connection;
        connection.Closed += error =>
        {
            _closed.TrySetResult(error);
            return Task.CompletedTask;
        };
    }

    /// <summary>What the client's connection closed with: null for a close without an error.</summary>
    public Task<Exception?> Closed => _closed.Task;

    public HubConnection Connection { get; }

    public IEnumerable<T> All<T>() => _received.Select(r => r.Message).OfType<T>();

    /// <summary>Connects over WebSockets (the token in the query, as browsers send it), or over another transport (the token in a header).</summary>
    public static async Task<HubClient> ConnectAsync(CoSellApp app, string? token, HttpTransportType transport = HttpTransportType.WebSockets)
    {
        var server = app.Server;
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(server.BaseAddress, "/hubs/cosell"), options =>
            {
                options.Transports = transport;
                options.HttpMessageHandlerFactory = _ => server.CreateHandler();
                if (transport != HttpTransportType.WebSockets)
                {
                    options.AccessTokenProvider = () => Task.FromResult(token);
                    return;
                }

                options.SkipNegotiation = true;
                options.WebSocketFactory = async (context, ct) =>
                {
                    var uri = token is null ? context.Uri : new UriBuilder(context.Uri) { Query = $"access_token={Uri.EscapeDataString(token)}" }.Uri;
                    return await server.CreateWebSocketClient().ConnectAsync(uri, ct);
                };
            })
            .AddJsonProtocol(options => JsonSetup.Configure(options.PayloadSerializerOptions))
            .Build();
        var client = new HubClient(connection);
        client.Record<OpportunityChangedMessage>("OpportunityChanged");
        client.Record<NoteAddedMessage>("NoteAdded");
        client.Record<RegistrationStatusMessage>("RegistrationStatusChanged");
        client.Record<ReviewQueueLeftMessage>("ReviewQueueLeft");
        client.Record<ReferralChangedMessage>("ReferralChanged");
        client.Record<ConflictChangedMessage>("ConflictChanged");
        await connection.StartAsync();
        return client;
    }

    public Task WatchOpportunity(string id) => Connection.InvokeAsync("WatchOpportunity", Guid.Parse(id));

    /// <summary>Waits until the server has closed the connection, failing after the timeout.</summary>
    public async Task WaitUntilClosed(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (Connection.State != HubConnectionState.Disconnected)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"The connection is still {Connection.State}.");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Waits for the first message of type <typeparamref name="T"/> that matches, failing after the timeout.</summary>
    public async Task<T> WaitFor<T>(Func<T, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var hit = All<T>().FirstOrDefault(match);
            if (hit is not null)
            {
                return hit;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _arrived.WaitAsync(left))
            {
                throw new Xunit.Sdk.XunitException(
                    $"No matching {typeof(T).Name} arrived; received: {string.Join(", ", _received.Select(r => r.Method + " " + r.Message))}");
            }
        }
    }

    private void Record<T>(string method) => Connection.On<T>(method, message =>
    {
        _received.Enqueue((method, message!));
        _arrived.Release();
    });

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        _arrived.Dispose();
    }
}
