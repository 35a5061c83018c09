using Microsoft.OpenApi;

namespace CoSell.Web.Http;

/// <summary>Words for a field of a schema, where its bound or form is more than a keyword says.</summary>
internal static class SchemaText
{
    public static void Describe(OpenApiSchema schema, string property, string description)
    {
        if (schema.Properties?.TryGetValue(property, out var described) == true && described is OpenApiSchema concrete)
        {
            concrete.Description = description;
        }
    }
}
