using System.Globalization;
using CoSell.Application.Opportunities;
using CoSell.Application.Registrations;
using CoSell.Domain.Customers;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using static CoSell.Web.Http.SchemaText;

namespace CoSell.Web.Http;

/// <summary>
/// A customer's and a contact's fields are judged by their value objects, which fold or trim white space before they
/// count: no JSON Schema keyword says their bounds exactly, so each field's description does, from the value object's
/// own limits.
/// </summary>
public sealed class CustomerSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (type == typeof(CustomerInput))
        {
            Describe(schema, "name", string.Create(CultureInfo.InvariantCulture,
                $"The company's name: 2 to {CompanyName.MaximumLength} characters once runs of white space are folded, without control characters, direction controls or invisible characters, and no word mixing Latin letters with letters that pass for them (Cyrillic, Greek and the like)."));
            Describe(schema, "domain", "A web domain, URL or e-mail address (acme.com, https://www.acme.com/about, sales@acme.com), kept as its registrable domain; free mail and pages or tenants on shared platforms give none.");
            Describe(schema, "country", "The customer's country as an ISO 3166-1 alpha-2 code (US, DE), in any case.");
            Describe(schema, "duns", "A nine-digit D-U-N-S number; dashes and spaces between the digits are fine. Nine of one digit (000000000) is a placeholder, refused: leave the field out when the number is not known.");
        }
        else if (type == typeof(ContactInput))
        {
            Describe(schema, "name", string.Create(CultureInfo.InvariantCulture, $"2 to {CustomerContact.MaximumNameLength} printable characters, not counting the white space around them."));
            Describe(schema, "email", string.Create(CultureInfo.InvariantCulture, $"An e-mail address of at most {CustomerContact.MaximumEmailLength} characters; give it, a phone, or both."));
            Describe(schema, "phone", string.Create(CultureInfo.InvariantCulture, $"5 to 20 digits in at most {CustomerContact.MaximumPhoneLength} characters, with spaces and + - . / ( ) besides; give it, an e-mail address, or both."));
        }

        return Task.CompletedTask;
    }
}
