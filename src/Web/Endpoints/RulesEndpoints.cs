using CoSell.Application.Abstractions;
using CoSell.Application.RulesOfEngagement;
using CoSell.Web.Http;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CoSell.Web.Endpoints;

public static class RulesEndpoints
{
    public static IEndpointRouteBuilder MapRulesEndpoints(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/rules").WithTags("Rules of engagement").RequireAuthorization();
        group.MapGet("/", Active).WithSummary("The active rules, with a plain-words explanation");
        group.MapGet("/versions", Versions).Sends<ListRulesVersions>().WithSummary("Every published version, newest first");
        group.MapPost("/versions", Publish).Idempotent().WithSummary("Publish a new version and make it active (admin)");
        return api;
    }

    private static async Task<Ok<RulesDto>> Active(IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new GetActiveRules(), ct));

    private static async Task<Ok<Paged<RulesDto>>> Versions(int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new ListRulesVersions(page, pageSize), ct));

    private static Task<Created<RulesDto>> Publish(PublishRulesVersion body, IMediator mediator, HttpContext http, CancellationToken ct) =>
        mediator.SendCreated(body, _ => "/api/v1/rules", _ => null, http, ct);
}
