using CoSell.Application.Abstractions;
using CoSell.Application.Partners;
using CoSell.Domain.Partners;
using CoSell.Web.Http;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CoSell.Web.Endpoints;

public static class PartnerEndpoints
{
    /// <summary>
    /// What to change; a field left out stays as it is. <c>"channelManagerId": null</c> unassigns the partner (as in a
    /// JSON merge patch), which is why that field records whether the body named it.
    /// </summary>
    [ValidatedAs(typeof(UpdatePartner))]
    public sealed record PartnerPatch(string? Name = null, PartnerTier? Tier = null, IReadOnlyList<string>? Territories = null, PartnerStatus? Status = null)
    {
        private readonly Guid? _channelManagerId;

        // A field, not a property: the serializer counts an ignored property as one of the request's fields, so a body
        // naming it would be taken, not refused as naming a field the request does not have.
        private readonly bool _channelManagerNamed;

        /// <summary>The channel manager to assign; null assigns none (admin only).</summary>
        [System.ComponentModel.Description("The channel manager to assign (admin only). Unlike the other fields, null is not \"keep\": null unassigns the partner; leave the field out to keep its channel manager.")]
        public Guid? ChannelManagerId
        {
            get => _channelManagerId;
            init
            {
                _channelManagerId = value;
                _channelManagerNamed = true;
            }
        }

        /// <summary>Whether the body named <see cref="ChannelManagerId"/>, even as null.</summary>
        public bool NamesChannelManager() => _channelManagerNamed;
    }

    public static IEndpointRouteBuilder MapPartnerEndpoints(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/partners").WithTags("Partners").RequireAuthorization();
        group.MapGet("/", List).Sends<ListPartners>().WithSummary("List partners (vendor roles; a partner user reads its own)");
        group.MapPost("/", Create).Idempotent().WithSummary("Create a partner with its tier, territories and channel manager (admin; honours Idempotency-Key)");
        group.MapGet("/{id:guid}", Get).WithSummary("One partner");
        group.MapPatch("/{id:guid}", Update).IfMatch(required: true).WithSummary("Change a partner (admin, or its channel manager, who does not reassign it; If-Match required)");
        return api;
    }

    private static async Task<Ok<Paged<PartnerDto>>> List(int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new ListPartners(page, pageSize), ct));

    private static Task<Created<PartnerDto>> Create(CreatePartner body, IMediator mediator, HttpContext http, CancellationToken ct) =>
        mediator.SendCreated(body, dto => $"/api/v1/partners/{dto.Id}", http, ct);

    private static Task<Ok<PartnerDto>> Get(Guid id, IMediator mediator, HttpContext http, CancellationToken ct) =>
        mediator.SendVersioned(new GetPartner(id), http, ct);

    private static Task<Ok<PartnerDto>> Update(Guid id, PartnerPatch body, IMediator mediator, HttpContext http, CancellationToken ct) =>
        mediator.SendVersioned(
            new UpdatePartner(id, body.Name, body.Tier, body.Territories, body.ChannelManagerId, body.Status, ETags.ParseIfMatch(http.Request),
                UnassignChannelManager: body.NamesChannelManager() && body.ChannelManagerId is null),
            http,
            ct);
}
