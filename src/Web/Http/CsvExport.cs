using System.Text;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CoSell.Web.Http;

/// <summary>
/// Writes rows as CSV (RFC 4180, UTF-8). A cell a spreadsheet would read as a formula — starting with
/// <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return — is prefixed with a single quote, so
/// text a side uploaded is never run as a formula on the other side's machine.
/// </summary>
public sealed class CsvExport<T>(string fileName, IReadOnlyList<string> header, Func<T, IReadOnlyList<string?>> fields, IAsyncEnumerable<T> rows) : IResult
{
    public const string ContentType = "text/csv; charset=utf-8";

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = ContentType;
        response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
        await using var writer = new StreamWriter(response.Body, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        await writer.WriteAsync(Csv.Line(header));
        try
        {
            await foreach (var row in rows.WithCancellation(httpContext.RequestAborted))
            {
                await writer.WriteAsync(Csv.Line(fields(row)));
            }
        }
        catch (CoSell.Application.AccountMapping.ExportOvertakenException overtaken)
        {
            // The rows it began with are gone: the answer is cut off (no closing chunk), so no client takes it as whole.
            httpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger<CsvExport<T>>()
                .LogInformation("Export {File} cut off: {Reason}", fileName, overtaken.Message);
            httpContext.Abort();
            return;
        }

        await writer.FlushAsync(httpContext.RequestAborted);
    }
}

/// <summary>CSV cells and lines, with formula-looking cells defused.</summary>
public static class Csv
{
    public static string Line(IReadOnlyList<string?> cells)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0)
            {
                builder.Append(',');
            }

            builder.Append(Cell(cells[i]));
        }

        return builder.Append("\r\n").ToString();
    }

    /// <summary>One cell, defused and quoted as needed.</summary>
    public static string Cell(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var trimmed = value.TrimStart(' ');
        if (trimmed.Length > 0 && trimmed[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\n' || value[0] is '\t' or '\r')
        {
            value = "'" + value;
        }

        // A semicolon is quoted too: a spreadsheet set to a locale whose list separator it is (de-DE, fr-FR…) splits an
        // unquoted cell there, and the text after it would start a cell of its own, undefused.
        return value.AsSpan().IndexOfAny(",;\"\r\n") >= 0 || value[0] == ' ' || value[^1] == ' '
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
    }
}

public static class CsvExports
{
    /// <summary>
    /// Names a route's CSV answer (<c>?format=csv</c>, or <c>Accept: text/csv</c>) in the API description beside its JSON
    /// one: the two are one status, which the route's declared results cannot give two bodies.
    /// </summary>
    public static RouteHandlerBuilder AnswersCsvToo(this RouteHandlerBuilder route) =>
        route.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.Responses?.TryGetValue("200", out var ok) == true && ok.Content is { } content)
            {
                content["text/csv"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
            }

            return Task.CompletedTask;
        });
}
