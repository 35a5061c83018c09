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
        if (partnerReader is { } reader)
        {
            items = await ForPartnerAsync(items, reader, page.Skip, cancellationToken);
        }

        return new Paged<TimelineEntry>(items, page.Page, page.PageSize, total);
    }

    /// <summary>
    /// What a partner reads of a shared timeline: another partner's users are "another partner", never their ids (which
    /// would tell the same rival works on other deals), and entries are numbered by their place in the partner's own
    /// view, not by the audit log's row numbers, whose gaps would show when hidden entries were written.
    /// </summary>
    private async Task<List<TimelineEntry>> ForPartnerAsync(List<TimelineEntry> items, Guid reader, int skip, CancellationToken cancellationToken)
    {
        var actorIds = items.Select(i => Guid.TryParse(i.Actor, out var id) ? id : (Guid?)null).OfType<Guid>().Distinct().ToList();
        var foreign = actorIds.Count == 0
            ? []
            : (await db.Users.AsNoTracking().Where(u => actorIds.Contains(u.Id) && u.PartnerId != null && u.PartnerId != reader).Select(u => u.Id).ToListAsync(cancellationToken))
                .Select(id => id.ToString()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return [.. items.Select((entry, index) => entry with
        {
            Sequence = skip + index + 1,
            Actor = foreign.Contains(entry.Actor) ? PartnerActor.AnotherPartner : entry.Actor,
        })];
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
