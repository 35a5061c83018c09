using CoSell.Application.Abstractions;
using CoSell.Application.Referrals;
using CoSell.Application.Registrations;
using CoSell.Domain.Referrals;
using CoSell.Web.Http;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CoSell.Web.Endpoints;

public static class ReferralEndpoints
{
    [ValidatedAs(typeof(DeclineReferral))]
    public sealed record DeclineBody(DeclineReason? Reason, string? Comment);

    [ValidatedAs(typeof(ConvertReferral))]
    public sealed record ConvertBody(IReadOnlyList<string>? ProductLines, MoneyInput? EstimatedValue, DateOnly? ExpectedCloseDate, string? Notes, Guid? OwnerId, string? NextStep);

    public static IEndpointRouteBuilder MapReferralEndpoints(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/referrals").WithTags("Referrals").RequireAuthorization();
        group.MapPost("/", Send).Idempotent().WithSummary("Refer a lead: the vendor to a partner, or a partner to the vendor (honours Idempotency-Key)");
        group.MapGet("/", List).Sends<ListReferrals>().WithSummary("List the referrals the caller may see");
        group.MapGet("/{id:guid}", Get).WithSummary("One referral; the customer contact only to its sender, and to its receiver once accepted");
        group.MapPost("/{id:guid}/accept", Accept).IfMatch().WithSummary("The receiver accepts before the deadline and reads the customer contact");
        group.MapPost("/{id:guid}/decline", Decline).IfMatch().WithSummary("The receiver declines with a reason code");
        group.MapPost("/{id:guid}/convert", Convert).IfMatch(answersETag: false).Idempotent()
            .WithSummary("The receiver converts an accepted referral: a partner into a registration, the vendor into an opportunity");
        return api;
    }

    private static Task<Created<ReferralDto>> Send(SendReferral body, IMediator mediator, HttpContext http, CancellationToken ct) =>
        mediator.SendCreated(body, dto => $"/api/v1/referrals/{dto.Id}", http, ct);

    private static async Task<Ok<Paged<ReferralDto>>> List([NamesOf(typeof(ReferralDirection))] string? direction, [NamesOf(typeof(ReferralStatus))] string? status, int? page, int? pageSize, string? after, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new ListReferrals(direction, status, page, pageSize, after), ct));

    private static Task<Ok<ReferralDto>> Get(Guid id, IMediator mediator, HttpContext http, CancellationToken ct) =>
        Respond(new GetReferral(id), mediator, http, ct);

    private static Task<Ok<ReferralDto>> Accept(Guid id, IMediator mediator, HttpContext http, CancellationToken ct) =>
        Respond(new AcceptReferral(id, ETags.ParseIfMatch(http.Request)), mediator, http, ct);

    private static Task<Ok<ReferralDto>> Decline(Guid id, DeclineBody body, IMediator mediator, HttpContext http, CancellationToken ct) =>
        Respond(new DeclineReferral(id, body.Reason, body.Comment, ETags.ParseIfMatch(http.Request)), mediator, http, ct);

    /// <summary>Answers what the referral became, at its address; the referral's ETag is not the new resource's, so none is sent.</summary>
    private static Task<Created<ReferralConversionDto>> Convert(Guid id, ConvertBody body, IMediator mediator, HttpContext http, CancellationToken ct) =>
        mediator.SendCreated(
            new ConvertReferral(id, body.ProductLines, body.EstimatedValue, body.ExpectedCloseDate, body.Notes, body.OwnerId, body.NextStep, ETags.ParseIfMatch(http.Request)),
            dto => dto.Kind == ReferralConversion.Registration ? $"/api/v1/registrations/{dto.Id}" : $"/api/v1/opportunities/{dto.Id}",
            _ => null,
            http,
            ct);

    private static Task<Ok<ReferralDto>> Respond(IRequest<ReferralDto> request, IMediator mediator, HttpContext http, CancellationToken ct) =>
        mediator.SendVersioned(request, http, ct);
}
