using CoSell.Application.Abstractions;
using CoSell.Application.Users;
using CoSell.Web.Http;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CoSell.Web.Endpoints;

/// <summary>The users CoSell knows (admin only): whom it can assign partners, deals and cases to, and name.</summary>
public static class UserEndpoints
{
    /// <summary>What to change; a field left out stays as it is.</summary>
    [ValidatedAs(typeof(UpdateUser))]
    public sealed record UserPatch(string? DisplayName = null, bool? IsActive = null);

    public static IEndpointRouteBuilder MapUserEndpoints(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/users").WithTags("Users").RequireAuthorization();
        group.MapGet("/", List).Sends<ListUsers>().WithSummary("List users by role, partner or whether they are active (admin)");
        group.MapPost("/", Create).Idempotent().WithSummary("Add a user under its identity provider's subject (admin)");
        group.MapGet("/{id:guid}", Get).Sends<GetUser>().WithSummary("Read a user (admin)");
        group.MapPatch("/{id:guid}", Update).IfMatch(required: true).WithSummary("Rename or (de)activate a user (admin; If-Match required)");
        return api;
    }

    private static async Task<Ok<Paged<UserDto>>> List(string? role, Guid? partnerId, bool? isActive, int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new ListUsers(role, partnerId, isActive, page, pageSize), ct));

    private static Task<Created<UserDto>> Create(CreateUser body, IMediator mediator, HttpContext http, CancellationToken ct) =>
        mediator.SendCreated(body, dto => $"/api/v1/users/{dto.Id}", http, ct);

    private static Task<Ok<UserDto>> Get(Guid id, IMediator mediator, HttpContext http, CancellationToken ct) =>
        mediator.SendVersioned(new GetUser(id), http, ct);

    private static Task<Ok<UserDto>> Update(Guid id, UserPatch body, IMediator mediator, HttpContext http, CancellationToken ct) =>
        mediator.SendVersioned(new UpdateUser(id, body.DisplayName, body.IsActive, ETags.ParseIfMatch(http.Request)), http, ct);
}
