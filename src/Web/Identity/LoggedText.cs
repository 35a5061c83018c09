using System.Text;
using Serilog.Core;
using Serilog.Events;

namespace CoSell.Web.Identity;

/// <summary>
/// What a log line may carry of a request, whichever sink writes it and at whatever level the configuration lets the
/// framework log: a token sent in the query (<c>?access_token=</c>, as WebSocket clients of the hub send it) is not
/// written, and control characters (a line break, an escape sequence) are written as <c>\uXXXX</c>, so that a path or
/// a value cannot start a line of its own or rewrite one on a terminal. The framework writes both as they came (its
/// request lines give the query string, its routing lines the decoded path).
/// </summary>
public sealed class LoggedText : ILogEventEnricher
{
    private static readonly char[] ParameterEnds = ['?', '&'];

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<LogEventProperty>? safer = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            if (value is ScalarValue { Value: string text } && Safe(text) is { } written)
            {
                (safer ??= []).Add(new LogEventProperty(name, new ScalarValue(written)));
            }
        }

        safer?.ForEach(logEvent.AddOrUpdateProperty);
    }

    /// <summary>The text as it may be logged, or null when it may be logged as it is.</summary>
    internal static string? Safe(string text)
    {
        var redacted = WithoutQueryTokens(text);
        if (!redacted.Any(char.IsControl))
        {
            return ReferenceEquals(redacted, text) ? null : redacted;
        }

        var written = new StringBuilder(redacted.Length + 16);
        foreach (var c in redacted)
        {
            if (char.IsControl(c))
            {
                written.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                written.Append(c);
            }
        }

        return written.ToString();
    }

    /// <summary>
    /// The text with the value of each query parameter named <c>access_token</c> replaced, its name read as ASP.NET Core
    /// reads it (percent-decoded, in any case: <c>access%5Ftoken</c> signs in too); the text itself when it has none.
    /// </summary>
    private static string WithoutQueryTokens(string text)
    {
        if (!text.Contains('='))
        {
            return text;
        }

        StringBuilder? written = null;
        var copied = 0;
        for (var start = 0; start < text.Length;)
        {
            var end = text.IndexOfAny(ParameterEnds, start);
            end = end < 0 ? text.Length : end;
            var equals = text.IndexOf('=', start, end - start);
            if (equals > start && IsTokenName(text.AsSpan(start, equals - start)))
            {
                written ??= new StringBuilder(text.Length);
                written.Append(text, copied, equals + 1 - copied).Append("[redacted]");
                copied = end;
            }

            start = end + 1;
        }

        return written is null ? text : written.Append(text, copied, text.Length - copied).ToString();
    }

    private static bool IsTokenName(ReadOnlySpan<char> name) =>
        name.Length >= "access_token".Length
        && string.Equals(name.Contains('%') ? Uri.UnescapeDataString(name.ToString()) : name.ToString(), "access_token", StringComparison.OrdinalIgnoreCase);
}
