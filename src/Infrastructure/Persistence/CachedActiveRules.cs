using CoSell.Application.RulesOfEngagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RulesOfEngagement = CoSell.Domain.Rules.RulesOfEngagement;

namespace CoSell.Infrastructure.Persistence;

/// <summary>
/// The active rules, read on first use and kept until a rules change commits. A read that an invalidation overtook
/// answers its own caller but is not kept: what it read may be the version the change just replaced.
/// </summary>
public sealed class CachedActiveRules(IServiceScopeFactory scopes) : IActiveRules
{
    private readonly Lock _gate = new();
    private volatile RulesOfEngagement? _current;
    private long _generation;

    public async Task<RulesOfEngagement> GetAsync(CancellationToken cancellationToken)
    {
        if (_current is { } cached)
        {
            return cached;
        }

        var generation = Interlocked.Read(ref _generation);
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CoSellDbContext>();
        var active = await db.Rules.AsNoTracking().FirstOrDefaultAsync(r => r.IsActive, cancellationToken)
            ?? throw new Domain.SeedWork.DomainException("rules.none_active", "No rules of engagement are active; an admin must publish a version.");
        lock (_gate)
        {
            if (_generation == generation)
            {
                _current = active;
            }
        }

        return active;
    }

    public void Invalidate()
    {
        lock (_gate)
        {
            _generation++;
            _current = null;
        }
    }
}

/// <summary>
/// The rules one request reads: the version active when it first asks, however often it asks again (its retries too).
/// A submission is judged, recorded and its case opened under one version, though a new one is published while it
/// waits at the claim gate: its record names the version whose thresholds it was held to.
/// </summary>
public sealed class RequestRules(CachedActiveRules shared) : IActiveRules
{
    private RulesOfEngagement? _read;

    public async Task<RulesOfEngagement> GetAsync(CancellationToken cancellationToken) => _read ??= await shared.GetAsync(cancellationToken);

    public void Invalidate()
    {
        _read = null;
        shared.Invalidate();
    }
}
