using CoSell.Application.Abstractions;
using CoSell.Domain.Users;
using Microsoft.EntityFrameworkCore;

namespace CoSell.Infrastructure.Persistence;

public sealed class AuditTrail(CoSellDbContext db, ICurrentUser user) : IAuditTrail
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
        var read = await rows.OrderBy(a => a.Id).Skip(page.Skip).Take(page.PageSize)
            .Select(a => new { Entry = new TimelineEntry(a.Id, a.OccurredAt, a.Type, a.Actor, a.Summary), a.ActorPartnerId })
            .ToListAsync(cancellationToken);
        var items = partnerReader is { } reader
            ? await ForPartnerAsync([.. read.Select(r => (r.Entry, r.ActorPartnerId))], reader, page.Skip, cancellationToken)
            : [.. read.Select(r => r.Entry)];
        return new Paged<TimelineEntry>(items, page.Page, page.PageSize, total);
    }

    /// <summary>The partner to record with an audit row: the acting user's, when the row's actor is the user acting now and a partner user (a vendor token may carry a partner id too).</summary>
    internal static Guid? PartnerOf(ICurrentUser user, string actor) => user.IsPartner() && user.PartnerId is { } partner && user.UserId == actor ? partner : null;

    /// <summary>
    /// What a partner reads of a shared timeline: another partner's users are "another partner", never their ids (which
    /// would tell the same rival works on other deals), an arbiter is "arbiter" (a case hides who decides it from its
    /// parties), and entries are numbered by their place in the partner's own view, not by the audit log's row numbers,
    /// whose gaps would show when hidden entries were written. Each row says whose partner its actor acted for; a row
    /// written before it did is judged by the users CoSell knows.
    /// </summary>
    private async Task<List<TimelineEntry>> ForPartnerAsync(List<(TimelineEntry Entry, Guid? ActorPartnerId)> rows, Guid reader, int skip, CancellationToken cancellationToken)
    {
        // A row names its actor by CoSell's id, which for a user added by its subject is the version-5 id derived from it;
        // an older row names it as the token's subject did then, whose user is the one that subject gives (UserIds). An
        // actor that reads as a GUID is looked up both ways: a derived id and the id its subject would give never coincide.
        var unmarked = rows.Where(r => r.ActorPartnerId is null && r.Entry.Actor.Length > 0).Select(r => r.Entry.Actor).Distinct()
            .ToDictionary(a => a, a => Guid.TryParseExact(a, "D", out var id) && id != Guid.Empty ? new[] { id, UserIds.FromSubject(a) }.Distinct().ToArray() : [UserIds.FromSubject(a)]);
        var ids = unmarked.Values.SelectMany(c => c).ToList();
        var hidden = ids.Count == 0
            ? []
            : await db.Users.AsNoTracking()
                .Where(u => ids.Contains(u.Id) && ((u.PartnerId != null && u.PartnerId != reader) || u.Role == Roles.Arbiter))
                .Select(u => new { u.Id, u.Role })
                .ToDictionaryAsync(u => u.Id, u => u.Role == Roles.Arbiter ? PartnerActor.Arbiter : PartnerActor.AnotherPartner, cancellationToken);
        return [.. rows.Select((row, index) => row.Entry with
        {
            Sequence = skip + index + 1,
            // Reopenings were once recorded with the admin's reason, which may speak of another party: the log keeps it,
            // and a partner reads the line as one written today.
            Summary = row.Entry.Type == Domain.Registrations.DealRegistration.ConflictReopened ? Domain.Registrations.DealRegistration.ConflictReopenedSummary : row.Entry.Summary,
            Actor = row.ActorPartnerId is { } partner
                ? partner != reader ? PartnerActor.AnotherPartner : row.Entry.Actor
                : unmarked.TryGetValue(row.Entry.Actor, out var candidates) && candidates.FirstOrDefault(hidden.ContainsKey) is var id && hidden.TryGetValue(id, out var unnamed)
                    ? unnamed
                    : row.Entry.Actor,
        })];
    }

    public void Append(AuditRecord record) => db.AuditEntries.Add(new AuditEntry
    {
        AggregateType = record.AggregateType,
        AggregateId = record.AggregateId,
        Type = record.Type,
        Actor = record.Actor,
        ActorPartnerId = PartnerOf(user, record.Actor),
        OccurredAt = record.OccurredAt,
        Summary = record.Summary,
        Data = "{}",
    });
}
