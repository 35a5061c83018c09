using CoSell.Application.Abstractions;
using CoSell.Application.Conflicts;
using CoSell.Domain.Conflicts;
using CoSell.Web.Http;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CoSell.Web.Endpoints;

public static class ConflictEndpoints
{
    [ValidatedAs(typeof(OpenConflict))]
    public sealed record OpenBody(Guid? RegistrationId, IReadOnlyList<Guid>? WithClaims);

    [ValidatedAs(typeof(AddConflictStatement))]
    public sealed record StatementBody(string? Text, IReadOnlyList<string>? Links);

    [ValidatedAs(typeof(AssignConflict))]
    public sealed record AssignBody(Guid? ArbiterId);

    [ValidatedAs(typeof(DecideConflict))]
    public sealed record DecisionBody(DecisionKind? Decision, Guid? AwardedClaimId, string? Rationale);

    [ValidatedAs(typeof(ReopenConflict))]
    public sealed record ReopenBody(string? Reason);

    public static IEndpointRouteBuilder MapConflictEndpoints(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/conflicts").WithTags("Conflicts").RequireAuthorization();
        group.MapGet("/", List).Sends<ListConflicts>().WithSummary("Cases the caller may see, soonest SLA first; filter by status and overdue");
        group.MapPost("/", Open).Idempotent().WithSummary("Open a case by hand on a registration in the review queue (channel manager or admin)");
        group.MapGet("/measures", Measures).Sends<GetConflictMeasures>().WithSummary("Open cases, median time to decision and SLA breaches for a period");
        group.MapGet("/{id:guid}", Get).WithSummary("One case as the caller may see it: a party (partner or rep) its own claim and statements; channel managers, arbiters and admins all of it");
        group.MapPost("/{id:guid}/statements", AddStatement).IfMatch().Idempotent().WithSummary("A party adds a statement with evidence links");
        group.MapPost("/{id:guid}/assign", Assign).IfMatch().WithSummary("Reassign the case to an arbiter (admin)");
        group.MapPost("/{id:guid}/decision", Decide).IfMatch().WithSummary("Decide the case with a written rationale (assigned arbiter)");
        group.MapPost("/{id:guid}/reopen", Reopen).IfMatch().WithSummary("Reopen a decided case with a reason (admin); the log keeps the earlier decision");
        return api;
    }

    private static async Task<Ok<Paged<ConflictDto>>> List([NamesOf(typeof(ConflictStatus))] string? status, bool? overdue, bool? all, int? page, int? pageSize, string? after, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new ListConflicts(QueryEnum.Parse<ConflictStatus>(status, nameof(status)), overdue, all, page, pageSize, after), ct));

    private static Task<Created<ConflictDto>> Open(OpenBody body, IMediator mediator, HttpContext http, CancellationToken ct) =>
        mediator.SendCreated(new OpenConflict(body.RegistrationId ?? Guid.Empty, body.WithClaims), dto => $"/api/v1/conflicts/{dto.Id}", http, ct);

    private static async Task<Ok<ConflictMeasuresDto>> Measures(DateTimeOffset? from, DateTimeOffset? to, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new GetConflictMeasures(from, to), ct));

    private static Task<Ok<ConflictDto>> Get(Guid id, IMediator mediator, HttpContext http, CancellationToken ct) =>
        Send(new GetConflict(id), mediator, http, ct);

    private static Task<Ok<ConflictDto>> AddStatement(Guid id, StatementBody body, IMediator mediator, HttpContext http, CancellationToken ct) =>
        Send(new AddConflictStatement(id, body.Text, body.Links, ETags.ParseIfMatch(http.Request)), mediator, http, ct);

    private static Task<Ok<ConflictDto>> Assign(Guid id, AssignBody body, IMediator mediator, HttpContext http, CancellationToken ct) =>
        Send(new AssignConflict(id, body.ArbiterId, ETags.ParseIfMatch(http.Request)), mediator, http, ct);

    private static Task<Ok<ConflictDto>> Decide(Guid id, DecisionBody body, IMediator mediator, HttpContext http, CancellationToken ct) =>
        Send(new DecideConflict(id, body.Decision, body.AwardedClaimId, body.Rationale, ETags.ParseIfMatch(http.Request)), mediator, http, ct);

    private static Task<Ok<ConflictDto>> Reopen(Guid id, ReopenBody body, IMediator mediator, HttpContext http, CancellationToken ct) =>
        Send(new ReopenConflict(id, body.Reason, ETags.ParseIfMatch(http.Request)), mediator, http, ct);

    private static Task<Ok<ConflictDto>> Send(IRequest<ConflictDto> request, IMediator mediator, HttpContext http, CancellationToken ct) =>
        mediator.SendVersioned(request, http, ct);
}
