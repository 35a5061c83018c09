using CoSell.Application.Abstractions;
using Microsoft.EntityFrameworkCore;

namespace CoSell.Infrastructure.Persistence;

public sealed class AuditTrail(CoSellDbContext db) : IAuditTrail
{
    public Task<Paged<TimelineEntry>> GetAsync(string aggregateType, Guid aggregateId, PageRequest page, CancellationToken cancellationToken) =>
        GetAsync(aggregateType, aggregateId, null, page, cancellationToken);

    public async Task<Paged<TimelineEntry>> GetAsync(string aggregateType, Guid aggregateId, Guid? partnerReader, PageRequest page, CancellationToken cancellationToken)
    {
        var rows = db.AuditEntries.AsNoTracking().Where(a => a.AggregateType == aggregateType && a.AggregateId == aggregateId);
        if (partnerReader is { } partner)
        {
            var own = Domain.SeedWork.EventAudience.PartnerTag(partner);
            rows = rows.Where(a => a.Audience == null || a.Audience == own);
        }

        var total = await rows.CountAsync(cancellationToken);
        var items = await rows.OrderBy(a => a.Id).Skip(page.Skip).Take(page.PageSize)
            .Select(a => new TimelineEntry(a.Id, a.OccurredAt, a.Type, a.Actor, a.Summary))
            .ToListAsync(cancellationToken);
        return new Paged<TimelineEntry>(items, page.Page, page.PageSize, total);
    }

    public void Append(AuditRecord record) => db.AuditEntries.Add(new AuditEntry
    {
        AggregateType = record.AggregateType,
        AggregateId = record.AggregateId,
        Type = record.Type,
        Actor = record.Actor,
        OccurredAt = record.OccurredAt,
        Summary = record.Summary,
        Data = "{}",
    });
}
