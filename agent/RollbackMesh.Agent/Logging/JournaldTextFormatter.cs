using System.Globalization;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Parsing;

namespace RollbackMesh.Agent.Logging;

/// <summary>
/// Formats events for systemd's journal: every line starts with a sd-daemon(3) priority prefix ("&lt;6&gt;" for
/// information), which journald turns into the entry's PRIORITY. Under systemd (JOURNAL_STREAM set) there is no
/// timestamp, because the journal records its own; on a terminal the timestamp is kept.
/// </summary>
internal sealed class JournaldTextFormatter : ITextFormatter
{
    private readonly bool _includeTimestamp;

    /// <summary>Creates the formatter; <paramref name="includeTimestamp"/> is false under journald.</summary>
    public JournaldTextFormatter(bool includeTimestamp) => _includeTimestamp = includeTimestamp;

    /// <summary>The syslog priority for a Serilog level (sd-daemon.h SD_* values).</summary>
    public static int Priority(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose or LogEventLevel.Debug => 7,
        LogEventLevel.Information => 6,
        LogEventLevel.Warning => 4,
        LogEventLevel.Error => 3,
        LogEventLevel.Fatal => 2,
        _ => 6,
    };

    /// <inheritdoc />
    public void Format(LogEvent logEvent, TextWriter output)
    {
        var prefix = "<" + Priority(logEvent.Level).ToString(CultureInfo.InvariantCulture) + ">";
        var head = new System.Text.StringBuilder();
        if (_includeTimestamp)
        {
            head.Append(logEvent.Timestamp.ToString("yyyy-MM-dd HH:mm:ss.fff zzz ", CultureInfo.InvariantCulture));
        }

        if (logEvent.Properties.TryGetValue("SourceContext", out var source) && source is ScalarValue { Value: string category })
        {
            head.Append(ShortCategory(category)).Append(": ");
        }

        var text = head + RenderLiteral(logEvent);
        if (logEvent.Exception is not null)
        {
            text += Environment.NewLine + logEvent.Exception;
        }

        // journald splits on newlines; each line needs its own prefix or it falls back to the default priority.
        foreach (var line in text.Split('\n'))
        {
            output.Write(prefix);
            output.Write(line.TrimEnd('\r'));
            output.Write('\n');
        }
    }

    // Like RenderMessage, but strings unquoted (Serilog's ":l" format): journal lines are read by people.
    private static string RenderLiteral(LogEvent logEvent)
    {
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        foreach (var token in logEvent.MessageTemplate.Tokens)
        {
            if (token is PropertyToken property && logEvent.Properties.TryGetValue(property.PropertyName, out var value))
            {
                if (value is ScalarValue { Value: string literal })
                {
                    writer.Write(literal);
                }
                else
                {
                    value.Render(writer, property.Format, CultureInfo.InvariantCulture);
                }
            }
            else
            {
                token.Render(logEvent.Properties, writer, CultureInfo.InvariantCulture);
            }
        }

        return writer.ToString();
    }

    private static string ShortCategory(string category)
    {
        var dot = category.LastIndexOf('.');
        return dot < 0 ? category : category[(dot + 1)..];
    }
}
