using CoSell.Application.RulesOfEngagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using RulesOfEngagement = CoSell.Domain.Rules.RulesOfEngagement;

namespace CoSell.Infrastructure.Persistence;

public sealed class CachedActiveRules(IServiceScopeFactory scopes) : IActiveRules
{
    private volatile RulesOfEngagement? _current;

    public async Task<RulesOfEngagement> GetAsync(CancellationToken cancellationToken)
    {
        if (_current is { } cached)
        {
            return cached;
        }

        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CoSellDbContext>();
        var active = await db.Rules.AsNoTracking().FirstOrDefaultAsync(r => r.IsActive, cancellationToken)
            ?? throw new Domain.SeedWork.DomainException("rules.none_active", "No rules of engagement are active; an admin must publish a version.");
        _current = active;
        return active;
    }

    public void Invalidate() => _current = null;
}
