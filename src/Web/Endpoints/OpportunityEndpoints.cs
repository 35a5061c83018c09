using CoSell.Application.Abstractions;
using CoSell.Application.Opportunities;
using CoSell.Application.Registrations;
using CoSell.Domain.Opportunities;
using CoSell.Web.Http;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CoSell.Web.Endpoints;

public static class OpportunityEndpoints
{
    [ValidatedAs(typeof(UpdateOpportunity))]
    public sealed record OpportunityPatch(OpportunityStage? Stage = null, MoneyInput? Amount = null, DateOnly? CloseDate = null, string? NextStep = null, Guid? OwnerId = null, ContactInput? Contact = null);

    [ValidatedAs(typeof(AddNote))]
    public sealed record NoteBody(NoteVisibility? Visibility, string? Body);

    [ValidatedAs(typeof(InvitePartner))]
    public sealed record InvitationBody(Guid? PartnerId, string? Message);

    [ValidatedAs(typeof(RejectInvitation))]
    public sealed record RejectInvitationBody(string? Reason);

    [ValidatedAs(typeof(CreateOpportunityFromRegistration))]
    public sealed record FromRegistrationBody(Guid? OwnerId, ContactInput? Contact, MoneyInput? Amount, DateOnly? CloseDate, string? NextStep);

    public static IEndpointRouteBuilder MapOpportunityEndpoints(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/opportunities").WithTags("Opportunities").RequireAuthorization();
        group.MapPost("/", Create).Idempotent().WithSummary("Open a direct opportunity (rep, or a channel manager or admin naming the owning rep; honours Idempotency-Key)");
        group.MapGet("/", List).Sends<ListOpportunities>().WithSummary("List the opportunities the caller may see");
        group.MapGet("/{id:guid}", Get).WithSummary("One opportunity; the customer contact only to the vendor and accepted partners");
        group.MapPatch("/{id:guid}", Update).IfMatch(required: true).WithSummary("Change the stage and fields (If-Match required); the owner and closing are vendor-only");
        group.MapPost("/{id:guid}/notes", AddNote).IfMatch().Idempotent().WithSummary("Write a shared or internal (vendor-only) note");
        group.MapPost("/{id:guid}/invitations", Invite).IfMatch().Idempotent().WithSummary("Invite a partner to co-sell (vendor)");
        group.MapGet("/{id:guid}/timeline", Timeline).Sends<GetOpportunityTimeline>().WithSummary("Every stage and field change, invitation and note the caller may read");

        var invitations = api.MapGroup("/invitations").WithTags("Opportunities").RequireAuthorization();
        invitations.MapPost("/{id:guid}/accept", Accept).IfMatch().WithSummary("The invited partner accepts (and then sees the customer contact)");
        invitations.MapPost("/{id:guid}/reject", Reject).IfMatch(answersETag: false).WithSummary("The invited partner rejects, with a reason");

        // If-Match names the registration's version; the answer's ETag is the new opportunity's.
        api.MapPost("/registrations/{id:guid}/opportunity", FromRegistration).IfMatch(answersETag: false).Idempotent()
            .WithTags("Opportunities").RequireAuthorization().WithSummary("Open the co-sell opportunity of an approved registration");
        return api;
    }

    private static Task<Created<OpportunityDto>> Create(CreateOpportunity body, IMediator mediator, HttpContext http, CancellationToken ct) =>
        mediator.SendCreated(body, Location, http, ct);

    private static async Task<Ok<Paged<OpportunityDto>>> List([NamesOf(typeof(OpportunityStage))] string? stage, int? page, int? pageSize, string? after, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new ListOpportunities(stage, page, pageSize, after), ct));

    private static Task<Ok<OpportunityDto>> Get(Guid id, IMediator mediator, HttpContext http, CancellationToken ct) =>
        Send(new GetOpportunity(id), mediator, http, ct);

    private static Task<Ok<OpportunityDto>> Update(Guid id, OpportunityPatch body, IMediator mediator, HttpContext http, CancellationToken ct) =>
        Send(new UpdateOpportunity(id, body.Stage, body.Amount, body.CloseDate, body.NextStep, body.OwnerId, body.Contact, ETags.ParseIfMatch(http.Request)), mediator, http, ct);

    /// <summary>A note's 201 names the opportunity's timeline and carries the opportunity's new version.</summary>
    private static Task<Created<NoteDto>> AddNote(Guid id, NoteBody body, IMediator mediator, HttpContext http, CancellationToken ct) =>
        mediator.SendCreated(new AddNote(id, body.Visibility, body.Body, ETags.ParseIfMatch(http.Request)), _ => $"/api/v1/opportunities/{id}/timeline", note => note.OpportunityVersion, http, ct);

    private static Task<Created<InvitationDto>> Invite(Guid id, InvitationBody body, IMediator mediator, HttpContext http, CancellationToken ct) =>
        mediator.SendCreated(new InvitePartner(id, body.PartnerId, body.Message, ETags.ParseIfMatch(http.Request)), _ => $"/api/v1/opportunities/{id}", invitation => invitation.OpportunityVersion, http, ct);

    private static async Task<Ok<Paged<TimelineEntry>>> Timeline(Guid id, int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new GetOpportunityTimeline(id, page, pageSize), ct));

    private static Task<Ok<OpportunityDto>> Accept(Guid id, IMediator mediator, HttpContext http, CancellationToken ct) =>
        Send(new AcceptInvitation(id, ETags.ParseIfMatch(http.Request)), mediator, http, ct);

    private static async Task<Ok<InvitationDto>> Reject(Guid id, RejectInvitationBody body, IMediator mediator, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new RejectInvitation(id, body.Reason, ETags.ParseIfMatch(http.Request)), ct));

    private static Task<Created<OpportunityDto>> FromRegistration(Guid id, FromRegistrationBody? body, IMediator mediator, HttpContext http, CancellationToken ct) =>
        mediator.SendCreated(new CreateOpportunityFromRegistration(id, body?.OwnerId, body?.Contact, body?.Amount, body?.CloseDate, body?.NextStep, ETags.ParseIfMatch(http.Request)), Location, http, ct);

    private static string Location(OpportunityDto dto) => $"/api/v1/opportunities/{dto.Id}";

    private static Task<Ok<OpportunityDto>> Send(IRequest<OpportunityDto> request, IMediator mediator, HttpContext http, CancellationToken ct) =>
        mediator.SendVersioned(request, http, ct);
}
