using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CoSell.Web.Http;

/// <summary>
/// A JSON body written as what it means to the API: no white space, each object's fields in one order and their names in
/// lower case (the binder reads them without case), strings with one escaping, and each number by its value, in one form
/// (<see cref="JsonNumber"/>: <c>2000</c>, <c>2000.00</c> and <c>2e3</c> are all <c>2E3</c>). Two bodies that differ only in
/// these write the same bytes, so a retry re-serialised by another client library still counts as the same request. Values
/// are written as sent: a field sent as <c>null</c> and one left out, or an enum value or an id in another case, are other
/// bodies, though they bind to the same request (the README's list of what does not count names none of them).
/// </summary>
public static class CanonicalJson
{
    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    private static readonly JsonWriterOptions Writing = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    /// <summary>The canonical bytes of <paramref name="utf8"/>, or <c>null</c> when it is not JSON the API reads.</summary>
    public static byte[]? TryWrite(ReadOnlyMemory<byte> utf8) => TryWrite(utf8, numbersByValue: true);

    /// <summary>
    /// The canonical form as it was before numbers were written by value: each number as it was sent. Kept to recognise
    /// the bodies of Idempotency-Key records stored under it.
    /// </summary>
    public static byte[]? TryWriteWithNumbersAsSent(ReadOnlyMemory<byte> utf8) => TryWrite(utf8, numbersByValue: false);

    private static byte[]? TryWrite(ReadOnlyMemory<byte> utf8, bool numbersByValue)
    {
        // A byte-order mark says how the body is encoded, not what it says: the API reads the body with or without one.
        if (utf8.Span.StartsWith(Utf8ByteOrderMark))
        {
            utf8 = utf8[Utf8ByteOrderMark.Length..];
        }

        try
        {
            using var document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 64 });
            var output = new ArrayBufferWriter<byte>(utf8.Length);
            using (var writer = new Utf8JsonWriter(output, Writing))
            {
                Write(writer, document.RootElement, numbersByValue);
            }

            return output.WrittenSpan.ToArray();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON, or a string holding half a surrogate pair: the raw bytes stand for it.
            return null;
        }
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element, bool numbersByValue)
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
                    Write(writer, value, numbersByValue);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item, numbersByValue);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                break;
            case JsonValueKind.Number:
                // A number is written by its value, exactly: a field that reads it takes it the same way however it is
                // written, and one that cannot (a whole number written 120.0) refuses the body before its key is looked at.
                // A power of ten too large to work with keeps the number as it was sent.
                var sent = JsonMarshal.GetRawUtf8Value(element);
                if (numbersByValue && JsonNumber.TryRead(sent) is { } number)
                {
                    writer.WriteRawValue(number.ToString(), skipInputValidation: true);
                }
                else
                {
                    writer.WriteRawValue(sent, skipInputValidation: true);
                }

                break;
            default:
                // true, false and null are one spelling each.
                writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(element), skipInputValidation: true);
                break;
        }
    }
}
