using System.Globalization;
using CoSell.Application.AccountMapping;
using CoSell.Application.Opportunities;
using CoSell.Application.Referrals;
using CoSell.Application.Abstractions;
using CoSell.Domain.AccountMapping;
using CoSell.Web.Http;
using FluentValidation;
using FluentValidation.Results;
using MediatR;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Microsoft.OpenApi;

namespace CoSell.Web.Endpoints;

public static class AccountMappingEndpoints
{
    [ValidatedAs(typeof(ProposePartnership))]
    public sealed record ProposeBody(Guid? PartnerId);

    [ValidatedAs(typeof(ChangeSharing))]
    public sealed record SharingBody(SharingLevel? Customers, SharingLevel? Prospects, SharingLevel? OpenOpportunities);

    public sealed class UnsupportedUploadTypeException()
        : Exception("Upload an account list in UTF-8 as text/csv (columns name,domain,country,duns,private) or as application/json (an array of accounts).");

    public static IEndpointRouteBuilder MapAccountMappingEndpoints(this IEndpointRouteBuilder api)
    {
        var partnerships = api.MapGroup("/partnerships").WithTags("Account mapping").RequireAuthorization();
        partnerships.MapPost("/", Propose).Idempotent().WithSummary("Propose account mapping between the vendor and one partner (honours Idempotency-Key)");
        partnerships.MapGet("/", List).Sends<ListPartnerships>().WithSummary("Partnerships the caller's side is in");
        partnerships.MapGet("/{id:guid}", Get).WithSummary("One partnership of the caller's side, with both sides' opt-in and pause");
        partnerships.MapPost("/{id:guid}/opt-in", OptIn).IfMatch().WithSummary("Opt in for the caller's side; results show once both sides have");
        partnerships.MapPost("/{id:guid}/pause", Pause).IfMatch().WithSummary("Pause: every result is hidden from both sides at once");
        partnerships.MapPost("/{id:guid}/resume", Resume).IfMatch().WithSummary("Resume a pause the caller's side made");
        partnerships.MapGet("/{id:guid}/sharing", GetSharing).WithSummary("The caller's side's sharing level per population");
        partnerships.MapPut("/{id:guid}/sharing", PutSharing).IfMatch(required: true).WithSummary("Set the caller's side's sharing level per population: hidden, counts, overlaps or all");
        partnerships.MapGet("/{id:guid}/overlaps", Matrix).WithSummary("The overlap matrix: the caller's populations × the other side's, as both sides' settings allow");
        partnerships.MapGet("/{id:guid}/overlaps/{ours}/{theirs}", Overlaps).Sends<GetOverlapAccounts>().AnswersCsvToo()
            .WithSummary("The overlapping accounts of one cell, paged (or text/csv); only where both sides share overlaps");
        partnerships.MapPost("/{id:guid}/overlaps/{ours}/{theirs}/referrals", Refer).IfMatch().Idempotent()
            .WithSummary("Turn one overlapping account of the cell into a referral to the other side, in one step (honours Idempotency-Key)");
        partnerships.MapGet("/{id:guid}/overlaps/{ours}/{theirs}/white-space", WhiteSpace).Sends<GetWhiteSpace>().AnswersCsvToo()
            .WithSummary("The other side's accounts the caller lacks, paged (or text/csv); only where both sides share all");

        var options = api.ServiceProvider.GetRequiredService<AccountMappingOptions>();
        var lists = api.MapGroup("/account-lists").WithTags("Account mapping").RequireAuthorization();
        lists.MapGet("/", Lists).Sends<ListAccountLists>().WithSummary("The caller's side's account lists");
        lists.MapPut("/{population}", Upload).Sends<UploadAccountList>().IfMatch().IfNoneMatch().WithMetadata(new BodySizeLimit(options.MaximumUploadBytes))
            // Described here, not declared with Accepts, which would make routing refuse what it does not name: the handler
            // reads the body itself and answers 415 for a type it cannot read.
            .AddOpenApiOperationTransformer(async (operation, context, ct) =>
            {
                operation.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(IReadOnlyList<AccountUploadRow>), cancellationToken: ct) },
                        // A header line (name,domain,country,duns,private), then one account per line (docs/account-mapping.md).
                        ["text/csv"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } },
                    },
                };
                operation.Responses ??= [];
                operation.Responses["413"] = OpenApiConventions.ProblemResponse("The upload is over the byte limit (payload_too_large) or the row limit (account_list.too_many_rows).", 413, "account_list.too_many_rows",
                    string.Create(CultureInfo.InvariantCulture, $"An account list has at most {options.MaximumRows:N0} rows."), title: "The account list is too large.");
                operation.Responses["415"] = OpenApiConventions.ProblemResponse("The upload is neither text/csv nor application/json, or is in a charset or coding the service cannot read.", 415, "unsupported_media_type",
                    "Upload the list as text/csv or application/json.", title: "The upload's content type is not supported.");
                operation.Responses["422"] = OpenApiConventions.ProblemResponse("The upload was refused whole, with its bad rows by line; the previous list is unchanged.", 422, "account_list.too_many_bad_rows",
                    string.Create(CultureInfo.InvariantCulture, $"{(int)(options.MaximumBadRowShare * 1_000) + 1} of 1000 accounts are bad rows, more than the {options.MaximumBadRowShare:P1} allowed; fix them and upload again. The previous list is unchanged."), title: "The account list was refused; the previous list is unchanged.", schema: OpenApiConventions.UploadRefused);
            })
            .WithSummary("Replace one of the caller's side's lists with a text/csv or application/json upload (422 when refused whole, with its bad rows by line; 413 past the size or row limit; docs/account-mapping.md)");
        lists.MapGet("/{population}", Rows).Sends<GetAccountListRows>().AnswersCsvToo().WithSummary("The raw rows of one of the caller's side's lists, paged (or text/csv); only the owner can read them");
        return api;
    }

    private static Task<Created<PartnershipDto>> Propose(ProposeBody? body, IMediator mediator, HttpContext http, CancellationToken ct) =>
        mediator.SendCreated(new ProposePartnership(body?.PartnerId), dto => $"/api/v1/partnerships/{dto.Id}", http, ct);

    private static async Task<Ok<Paged<PartnershipDto>>> List(int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new ListPartnerships(page, pageSize), ct));

    private static Task<Ok<PartnershipDto>> Get(Guid id, IMediator mediator, HttpContext http, CancellationToken ct) =>
        Send(new GetPartnership(id), mediator, http, ct);

    private static Task<Ok<PartnershipDto>> OptIn(Guid id, IMediator mediator, HttpContext http, CancellationToken ct) =>
        Send(new OptInPartnership(id, ETags.ParseIfMatch(http.Request)), mediator, http, ct);

    private static Task<Ok<PartnershipDto>> Pause(Guid id, IMediator mediator, HttpContext http, CancellationToken ct) =>
        Send(new PausePartnership(id, ETags.ParseIfMatch(http.Request)), mediator, http, ct);

    private static Task<Ok<PartnershipDto>> Resume(Guid id, IMediator mediator, HttpContext http, CancellationToken ct) =>
        Send(new ResumePartnership(id, ETags.ParseIfMatch(http.Request)), mediator, http, ct);

    private static Task<Ok<SharingDto>> GetSharing(Guid id, IMediator mediator, HttpContext http, CancellationToken ct) =>
        mediator.SendVersioned(new GetSharing(id), http, ct);

    private static Task<Ok<SharingDto>> PutSharing(Guid id, SharingBody body, IMediator mediator, HttpContext http, CancellationToken ct) =>
        mediator.SendVersioned(new ChangeSharing(id, body.Customers, body.Prospects, body.OpenOpportunities, ETags.ParseIfMatch(http.Request)), http, ct);

    private static async Task<Ok<OverlapMatrixDto>> Matrix(Guid id, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new GetOverlapMatrix(id), ct));

    [ValidatedAs(typeof(ReferOverlap))]
    public sealed record ReferBody(string? YourAccount, string? YourCountry, ContactInput? Contact, string? Message);

    private static Task<Created<ReferralDto>> Refer(Guid id, [NamesOf(typeof(AccountPopulation))] string ours, [NamesOf(typeof(AccountPopulation))] string theirs, ReferBody body, IMediator mediator, HttpContext http, CancellationToken ct)
    {
        // The referral's own ETag, as POST /referrals answers it (Location names the referral).
        return mediator.SendCreated(
            new ReferOverlap(id, ours, theirs, body.YourAccount, body.YourCountry, body.Contact, body.Message, ETags.ParseIfMatch(http.Request)), referral => $"/api/v1/referrals/{referral.Id}", http, ct);
    }

    private static async Task<Results<Ok<Paged<OverlapAccountDto>>, CsvExport<OverlapAccountDto>>> Overlaps(
        Guid id, [NamesOf(typeof(AccountPopulation))] string ours, [NamesOf(typeof(AccountPopulation))] string theirs, int? page, int? pageSize,
        [NamesOf(typeof(ExportFormat))] string? format, IMediator mediator, HttpContext http, CancellationToken ct)
    {
        if (WantsCsv(format, http.Request))
        {
            var rows = await mediator.Send(new ExportOverlapAccounts(id, ours, theirs), ct);
            return new CsvExport<OverlapAccountDto>($"overlaps-{ours}-{theirs}.csv", ["name", "population", "your_account", "your_population", "your_country"],
                a => [a.Name, Population(a.Population), a.YourAccount, Population(a.YourPopulation), a.YourCountry], rows);
        }

        return TypedResults.Ok(await mediator.Send(new GetOverlapAccounts(id, ours, theirs, page, pageSize), ct));
    }

    private static async Task<Results<Ok<Paged<WhiteSpaceAccountDto>>, CsvExport<WhiteSpaceAccountDto>>> WhiteSpace(
        Guid id, [NamesOf(typeof(AccountPopulation))] string ours, [NamesOf(typeof(AccountPopulation))] string theirs, int? page, int? pageSize,
        [NamesOf(typeof(ExportFormat))] string? format, IMediator mediator, HttpContext http, CancellationToken ct)
    {
        if (WantsCsv(format, http.Request))
        {
            var rows = await mediator.Send(new ExportWhiteSpace(id, ours, theirs), ct);
            return new CsvExport<WhiteSpaceAccountDto>($"white-space-{ours}-{theirs}.csv", ["name", "domain", "country", "population"],
                a => [a.Name, a.Domain, a.Country, Population(a.Population)], rows);
        }

        return TypedResults.Ok(await mediator.Send(new GetWhiteSpace(id, ours, theirs, page, pageSize), ct));
    }

    private static async Task<Ok<Paged<AccountListDto>>> Lists(string? owner, int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
        TypedResults.Ok(await mediator.Send(new ListAccountLists(page, pageSize, owner), ct));

    private static Task<Ok<AccountListUploadDto>> Upload([NamesOf(typeof(AccountPopulation))] string population, string? owner, IMediator mediator, HttpContext http, CancellationToken ct)
    {
        var format = FormatOf(http.Request);
        return mediator.SendVersioned(new UploadAccountList(QueryEnum.Parse<AccountPopulation>(population, nameof(population)), format, http.Request.Body, owner, ETags.ParseIfMatch(http.Request), IfMatchSent: !string.IsNullOrWhiteSpace(http.Request.Headers.IfMatch.ToString()),
            ETags.ParseIfNoneMatch(http.Request)), http, ct);
    }

    private static async Task<Results<Ok<Paged<AccountRowDto>>, CsvExport<AccountRowDto>>> Rows(
        [NamesOf(typeof(AccountPopulation))] string population, string? owner, int? page, int? pageSize,
        [NamesOf(typeof(ExportFormat))] string? format, IMediator mediator, HttpContext http, CancellationToken ct)
    {
        var parsed = QueryEnum.Parse<AccountPopulation>(population, nameof(population));
        if (WantsCsv(format, http.Request))
        {
            var rows = await mediator.Send(new ExportAccountList(parsed, owner), ct);
            return new CsvExport<AccountRowDto>($"accounts-{population}.csv", AccountCsvReader.Columns,
                r => [r.Name, r.Domain, r.Country, r.Duns, r.Private ? "true" : "false"], rows);
        }

        return TypedResults.Ok(await mediator.Send(new GetAccountListRows(parsed, page, pageSize, owner), ct));
    }

    private static AccountListFormat FormatOf(HttpRequest request)
    {
        // Both readers take UTF-8 (of which US-ASCII is a part): a list that names another charset would be misread.
        if (MediaTypeHeaderValue.TryParse(request.ContentType, out var type) &&
            HeaderUtilities.RemoveQuotes(type.Charset) is var charset &&
            (!charset.HasValue || charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) || charset.Equals("us-ascii", StringComparison.OrdinalIgnoreCase)))
        {
            if (type.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase) || type.MediaType.Equals("application/csv", StringComparison.OrdinalIgnoreCase))
            {
                return AccountListFormat.Csv;
            }

            if (type.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
            {
                return AccountListFormat.Json;
            }
        }

        throw new UnsupportedUploadTypeException();
    }

    /// <summary>
    /// CSV when <c>format=csv</c>, JSON when <c>format=json</c>; without it, CSV when the caller accepts <c>text/csv</c>.
    /// Any other value, an empty one included, is a 400.
    /// </summary>
    private static bool WantsCsv(string? format, HttpRequest request) =>
        format is null
            ? AcceptsCsvFirst(request.GetTypedHeaders().Accept)
            : EnumNames.TryParse<ExportFormat>(format, out var chosen)
                ? chosen == ExportFormat.Csv
                : throw new ValidationException([new ValidationFailure(nameof(format), EnumNames.NotOneOf<ExportFormat>(format))]);

    /// <summary>
    /// Whether Accept names <c>text/csv</c> with a quality above zero and at least that of JSON, each read from the most
    /// specific range that covers it (RFC 9110 12.5.1: <c>application/json</c>, else <c>application/*</c>, else
    /// <c>*/*</c>): <c>text/csv;q=0</c> refuses CSV, and JSON preferred is answered.
    /// </summary>
    private static bool AcceptsCsvFirst(IList<Microsoft.Net.Http.Headers.MediaTypeHeaderValue> ranges)
    {
        // A range whose q is no quality (q=abc, q=-1, q=2) says nothing readable, and is left out rather than read as q=1.
        var accept = ranges.Where(a => !a.Parameters.Any(p => p.Name.Equals("q", StringComparison.OrdinalIgnoreCase)) || a.Quality is >= 0 and <= 1).ToList();
        double Quality(string type, string range)
        {
            foreach (var name in new[] { type, range, "*/*" })
            {
                var named = accept.Where(a => string.Equals(a.MediaType.Value, name, StringComparison.OrdinalIgnoreCase)).ToList();
                if (named.Count > 0)
                {
                    return named.Max(a => a.Quality ?? 1);
                }
            }

            return -1;
        }

        if (!accept.Any(a => a.MediaType.Equals("text/csv", StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        var csv = Quality("text/csv", "text/*");
        return csv > 0 && csv >= Quality("application/json", "application/*");
    }

    /// <summary>What a list is answered as.</summary>
    private enum ExportFormat
    {
        Json,
        Csv,
    }

    private static string Population(AccountPopulation population) => EnumNames.Of(population);

    private static Task<Ok<PartnershipDto>> Send(IRequest<PartnershipDto> request, IMediator mediator, HttpContext http, CancellationToken ct) =>
        mediator.SendVersioned(request, http, ct);
}

/// <summary>
/// One account of a JSON upload, as the API description shows it; the upload is read row by row (docs/account-mapping.md),
/// so a bad row is reported in <c>problems</c> instead of refusing the list.
/// </summary>
/// <param name="Line">
/// The line a list read back gives the account, so its items can be sent back as they are: passed over, since rows are
/// numbered by their place in the upload (a string holding a whole number is taken too).
/// </param>
public sealed record AccountUploadRow(string Name, string? Domain, string Country, string? Duns, bool? Private, int? Line);
