using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;

namespace CoSell.Web.Realtime;

/// <summary>
/// The hub's open connections, whose they are and which opportunities they watch: what it takes to end a feed when
/// the right to it ends after the watch was granted (a partner suspended, ownership passed on) — ADR 0006.
/// </summary>
public sealed class HubConnections
{
    private readonly ConcurrentDictionary<string, Connection> _open = new(StringComparer.Ordinal);

    public void Add(HubCallerContext context, string userId, string role, Guid? partnerId) =>
        _open[context.ConnectionId] = new Connection(context, userId, role, partnerId);

    public void Remove(string connectionId) => _open.TryRemove(connectionId, out _);

    public Connection? Find(string connectionId) => _open.TryGetValue(connectionId, out var connection) ? connection : null;

    public IEnumerable<Connection> OfPartner(Guid partnerId) => _open.Values.Where(c => c.PartnerId == partnerId);

    public IEnumerable<Connection> Watching(Guid opportunityId) => _open.Values.Where(c => c.IsWatching(opportunityId));

    public sealed class Connection(HubCallerContext context, string userId, string role, Guid? partnerId)
    {
        private readonly ConcurrentDictionary<Guid, byte> _watching = new();

        public string Id => context.ConnectionId;

        public string UserId { get; } = userId;

        public string Role { get; } = role;

        public Guid? PartnerId { get; } = partnerId;

        public bool IsWatching(Guid opportunityId) => _watching.ContainsKey(opportunityId);

        public void Watch(Guid opportunityId) => _watching.TryAdd(opportunityId, 0);

        public void Unwatch(Guid opportunityId) => _watching.TryRemove(opportunityId, out _);

        /// <summary>Closes the connection; the client sees it end and may connect again.</summary>
        public void Abort() => context.Abort();
    }
}
