using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CoSell.Web.Http;

/// <summary>
/// A JSON body written as what it means to the API: no white space, each object's fields in one order and their names in
/// lower case (the binder reads them without case), strings with one escaping. Two bodies that bind to the same request
/// write the same bytes, so a retry re-serialised by another client library still counts as the same request.
/// </summary>
public static class CanonicalJson
{
    private static readonly JsonWriterOptions Writing = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    /// <summary>The canonical bytes of <paramref name="utf8"/>, or <c>null</c> when it is not JSON the API reads.</summary>
    public static byte[]? TryWrite(ReadOnlyMemory<byte> utf8)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 64 });
            var output = new ArrayBufferWriter<byte>(utf8.Length);
            using (var writer = new Utf8JsonWriter(output, Writing))
            {
                Write(writer, document.RootElement);
            }

            return output.WrittenSpan.ToArray();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON, or a string holding half a surrogate pair: the raw bytes stand for it.
            return null;
        }
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var (name, value) in element.EnumerateObject()
                             .Select(field => (Name: field.Name.ToLowerInvariant(), field.Value))
                             .OrderBy(field => field.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(name);
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            default:
                // Numbers keep their text (120000 and 1.2e5 bind alike only for some fields); true, false and null are one spelling each.
                writer.WriteRawValue(element.GetRawText(), skipInputValidation: true);
                break;
        }
    }
}
