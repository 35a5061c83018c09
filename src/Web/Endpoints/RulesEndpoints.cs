using System.Globalization;
using CoSell.Application.Abstractions;
using CoSell.Application.RulesOfEngagement;
using CoSell.Web.Http;
using FluentValidation;
using FluentValidation.Results;
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
        group.MapGet("/versions/{number}", Version).WithSummary("One published version, active or not, by its number");
        group.MapPost("/versions", Publish).Idempotent().WithSummary("Publish a new version and make it active (admin); Location addresses it");
        return api;
    }

    private static async Task<Ok<RulesDto>> Active(IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new GetActiveRules(), ct));

    private static async Task<Ok<Paged<RulesDto>>> Versions(int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new ListRulesVersions(page, pageSize), ct));

    /// <param name="number">The version's number, a whole number from 1 to 2147483647.</param>
    private static async Task<Ok<RulesDto>> Version(string number, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new GetRulesVersion(NumberOf(number)), ct));

    private static Task<Created<RulesDto>> Publish(PublishRulesVersion body, IMediator mediator, HttpContext http, CancellationToken ct) =>
        mediator.SendCreated(body, Location, _ => null, http, ct);

    private static string Location(RulesDto version) => $"/api/v1/rules/versions/{version.Version.ToString(CultureInfo.InvariantCulture)}";

    // Read here rather than by a route constraint, which would answer an unreadable number as a route that does not exist (404).
    // Versions are numbered from 1: 0 is out of range as -1 and 99999999999 are (400), and only a number in range that no
    // version has yet is a 404.
    private static int NumberOf(string number) =>
        int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed >= 1
            ? parsed
            : throw new ValidationException([new ValidationFailure(nameof(number), "A rules version is addressed by its number, a whole number from 1 to 2147483647.")]);
}
