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
    private const string TokenParameter = "access_token=";

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
        var token = text.IndexOf(TokenParameter, StringComparison.OrdinalIgnoreCase);
        if (token < 0 && !text.Any(char.IsControl))
        {
            return null;
        }

        var written = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (i == token)
            {
                // The parameter's name stays, its value goes: up to the next parameter or the end.
                written.Append(text, i, TokenParameter.Length).Append("[redacted]");
                i += TokenParameter.Length;
                while (i < text.Length && text[i] != '&')
                {
                    i++;
                }

                token = text.IndexOf(TokenParameter, i, StringComparison.OrdinalIgnoreCase);
                i--;
                continue;
            }

            var c = text[i];
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
}
