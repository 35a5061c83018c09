using CoSell.Application.Abstractions;
using CoSell.Application.Partners;
using CoSell.Domain.Partners;
using CoSell.Web.Http;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CoSell.Web.Endpoints;

public static class PartnerEndpoints
{
    [ValidatedAs(typeof(UpdatePartner))]
    public sealed record PartnerPatch(string? Name = null, PartnerTier? Tier = null, IReadOnlyList<string>? Territories = null, Guid? ChannelManagerId = null, PartnerStatus? Status = null);

    public static IEndpointRouteBuilder MapPartnerEndpoints(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/partners").WithTags("Partners").RequireAuthorization();
        group.MapGet("/", List);
        group.MapPost("/", Create).Idempotent();
        group.MapGet("/{id:guid}", Get);
        group.MapPatch("/{id:guid}", Update).IfMatch(required: true).WithSummary("Change a partner (admin; If-Match required)");
        return api;
    }

    private static async Task<Ok<Paged<PartnerDto>>> List(int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new ListPartners(page, pageSize), ct));

    private static async Task<Created<PartnerDto>> Create(CreatePartner body, IMediator mediator, HttpContext http, CancellationToken ct)
    {
        var dto = await mediator.Send(body, ct);
        ETags.Set(http.Response, dto.Version);
        return TypedResults.Created($"/api/v1/partners/{dto.Id}", dto);
    }

    private static async Task<Ok<PartnerDto>> Get(Guid id, IMediator mediator, HttpContext http, CancellationToken ct)
    {
        var dto = await mediator.Send(new GetPartner(id), ct);
        ETags.Set(http.Response, dto.Version);
        return TypedResults.Ok(dto);
    }

    private static async Task<Ok<PartnerDto>> Update(Guid id, PartnerPatch body, IMediator mediator, HttpContext http, CancellationToken ct)
    {
        var dto = await mediator.Send(new UpdatePartner(id, body.Name, body.Tier, body.Territories, body.ChannelManagerId, body.Status, ETags.ParseIfMatch(http.Request)), ct);
        ETags.Set(http.Response, dto.Version);
        return TypedResults.Ok(dto);
    }
}
