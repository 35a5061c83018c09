using CoSell.Application.Abstractions;
using Microsoft.EntityFrameworkCore;

namespace CoSell.Infrastructure.Persistence;

public sealed class AuditTrail(CoSellDbContext db) : IAuditTrail
{
    public async Task<Paged<TimelineEntry>> GetAsync(string aggregateType, Guid aggregateId, PageRequest page, CancellationToken cancellationToken)
    {
        var rows = db.AuditEntries.AsNoTracking().Where(a => a.AggregateType == aggregateType && a.AggregateId == aggregateId);
        var total = await rows.CountAsync(cancellationToken);
        var items = await rows.OrderBy(a => a.Id).Skip(page.Skip).Take(page.PageSize)
            .Select(a => new TimelineEntry(a.Id, a.OccurredAt, a.Type, a.Actor, a.Summary))
            .ToListAsync(cancellationToken);
        return new Paged<TimelineEntry>(items, page.Page, page.PageSize, total);
    }
}
