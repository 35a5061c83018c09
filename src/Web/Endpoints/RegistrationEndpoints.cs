using CoSell.Application.Abstractions;
using CoSell.Application.Registrations;
using CoSell.Domain.Registrations;
using CoSell.Web.Http;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CoSell.Web.Endpoints;

public static class RegistrationEndpoints
{
    [ValidatedAs(typeof(UpdateRegistration))]
    public sealed record RegistrationPatch(CustomerInput? Customer = null, IReadOnlyList<string>? ProductLines = null, MoneyInput? EstimatedValue = null, DateOnly? ExpectedCloseDate = null, string? Notes = null);

    [ValidatedAs(typeof(ApproveRegistration))]
    public sealed record CommentBody(string? Comment);

    [ValidatedAs(typeof(RejectRegistration))]
    public sealed record RejectBody(RejectionReason? Reason, string? Comment);

    [ValidatedAs(typeof(ReturnRegistration))]
    public sealed record ReturnBody(string? Message);

    [ValidatedAs(typeof(WithdrawRegistration))]
    public sealed record WithdrawBody(string? Reason);

    [ValidatedAs(typeof(CloseRegistration))]
    public sealed record CloseBody(CloseOutcome? Outcome, LossReason? Reason, string? Comment);

    public static IEndpointRouteBuilder MapRegistrationEndpoints(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/registrations").WithTags("Registrations").RequireAuthorization();
        group.MapPost("/", Create).Idempotent().WithSummary("Draft a deal registration (honours Idempotency-Key)");
        group.MapGet("/", List).Sends<ListRegistrations>().WithSummary("List registrations the caller may see");
        group.MapGet("/{id:guid}", Get).WithName("GetRegistration").WithSummary("One registration; its duplicate reasons to vendor roles only");
        group.MapPatch("/{id:guid}", Update).IfMatch(required: true).WithSummary("Edit a Draft or ActionRequired registration (If-Match required; fields left out keep their value)");
        group.MapPost("/{id:guid}/submit", Submit).IfMatch().WithSummary("Submit or resubmit: routes to the channel manager, checks for duplicates, may auto-approve");
        group.MapPost("/{id:guid}/start-review", StartReview).IfMatch().WithSummary("Start reviewing a submitted registration (channel manager or admin)");
        group.MapPost("/{id:guid}/approve", Approve).IfMatch().WithSummary("Approve into the tier's protection window, with an optional comment (channel manager or admin)");
        group.MapPost("/{id:guid}/reject", Reject).IfMatch().WithSummary("Reject with a reason code (channel manager or admin)");
        group.MapPost("/{id:guid}/return", Return).IfMatch().WithSummary("Return to the partner for action with a message");
        group.MapPost("/{id:guid}/withdraw", Withdraw).IfMatch().WithSummary("The partner withdraws an open registration");
        group.MapPost("/{id:guid}/extend", Extend).IfMatch().WithSummary("Extend protection within the tier's limits");
        group.MapPost("/{id:guid}/close", Close).IfMatch().WithSummary("Close an approved registration as won or lost");
        group.MapGet("/{id:guid}/timeline", Timeline).Sends<GetRegistrationTimeline>().WithSummary("Every transition from the append-only audit log, on a UTC timeline");

        api.MapGet("/reviews", Reviews).Sends<GetReviewQueue>().WithTags("Registrations").RequireAuthorization().WithSummary("The caller's review queue, soonest SLA first");
        return api;
    }

    private static Task<Created<RegistrationDto>> Create(CreateRegistration body, IMediator mediator, HttpContext http, CancellationToken ct) =>
        mediator.SendCreated(body, dto => $"/api/v1/registrations/{dto.Id}", http, ct);

    private static async Task<Ok<Paged<RegistrationDto>>> List([NamesOf(typeof(RegistrationStatus))] string? status, Guid? partnerId, int? page, int? pageSize, string? after, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new ListRegistrations(status, partnerId, page, pageSize, after), ct));

    private static Task<Ok<RegistrationDto>> Get(Guid id, IMediator mediator, HttpContext http, CancellationToken ct) =>
        Send(new GetRegistration(id), mediator, http, ct);

    private static Task<Ok<RegistrationDto>> Update(Guid id, RegistrationPatch body, IMediator mediator, HttpContext http, CancellationToken ct) =>
        Send(new UpdateRegistration(id, body.Customer, body.ProductLines, body.EstimatedValue, body.ExpectedCloseDate, body.Notes, ETags.ParseIfMatch(http.Request)), mediator, http, ct);

    private static Task<Ok<RegistrationDto>> Submit(Guid id, IMediator mediator, HttpContext http, CancellationToken ct) =>
        Send(new SubmitRegistration(id, ETags.ParseIfMatch(http.Request)), mediator, http, ct);

    private static Task<Ok<RegistrationDto>> StartReview(Guid id, IMediator mediator, HttpContext http, CancellationToken ct) =>
        Send(new StartReview(id, ETags.ParseIfMatch(http.Request)), mediator, http, ct);

    private static Task<Ok<RegistrationDto>> Approve(Guid id, CommentBody? body, IMediator mediator, HttpContext http, CancellationToken ct) =>
        Send(new ApproveRegistration(id, body?.Comment, ETags.ParseIfMatch(http.Request)), mediator, http, ct);

    private static Task<Ok<RegistrationDto>> Reject(Guid id, RejectBody body, IMediator mediator, HttpContext http, CancellationToken ct) =>
        Send(new RejectRegistration(id, body.Reason, body.Comment, ETags.ParseIfMatch(http.Request)), mediator, http, ct);

    private static Task<Ok<RegistrationDto>> Return(Guid id, ReturnBody body, IMediator mediator, HttpContext http, CancellationToken ct) =>
        Send(new ReturnRegistration(id, body.Message, ETags.ParseIfMatch(http.Request)), mediator, http, ct);

    private static Task<Ok<RegistrationDto>> Withdraw(Guid id, WithdrawBody? body, IMediator mediator, HttpContext http, CancellationToken ct) =>
        Send(new WithdrawRegistration(id, body?.Reason, ETags.ParseIfMatch(http.Request)), mediator, http, ct);

    private static Task<Ok<RegistrationDto>> Extend(Guid id, IMediator mediator, HttpContext http, CancellationToken ct) =>
        Send(new ExtendRegistration(id, ETags.ParseIfMatch(http.Request)), mediator, http, ct);

    private static Task<Ok<RegistrationDto>> Close(Guid id, CloseBody body, IMediator mediator, HttpContext http, CancellationToken ct) =>
        Send(new CloseRegistration(id, body.Outcome, body.Reason, body.Comment, ETags.ParseIfMatch(http.Request)), mediator, http, ct);

    private static async Task<Ok<Paged<TimelineEntry>>> Timeline(Guid id, int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new GetRegistrationTimeline(id, page, pageSize), ct));

    private static async Task<Ok<Paged<ReviewQueueItem>>> Reviews(int? page, int? pageSize, string? after, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new GetReviewQueue(page, pageSize, after), ct));

    private static Task<Ok<RegistrationDto>> Send(MediatR.IRequest<RegistrationDto> request, IMediator mediator, HttpContext http, CancellationToken ct) =>
        mediator.SendVersioned(request, http, ct);
}
