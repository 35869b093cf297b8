using Serilog.Events;
using Serilog.Parsing;
using RollbackMesh.Agent.Logging;

namespace RollbackMesh.Agent.Tests.Logging;

public sealed class JournaldTextFormatterTests
{
    [Theory]
    [InlineData(LogEventLevel.Debug, "<7>")]
    [InlineData(LogEventLevel.Information, "<6>")]
    [InlineData(LogEventLevel.Warning, "<4>")]
    [InlineData(LogEventLevel.Error, "<3>")]
    [InlineData(LogEventLevel.Fatal, "<2>")]
    public void Format_UnderJournal_PrefixesThePriorityWithoutTimestamp(LogEventLevel level, string prefix)
    {
        var text = Format(new JournaldTextFormatter(includeTimestamp: false), Event(level, "Connected to {Address}", null));

        Assert.Equal(prefix + "AgentConnectionService: Connected to https://c:7443\n", text);
    }

    [Fact]
    public void Format_OnATerminal_KeepsTheTimestamp()
    {
        var text = Format(new JournaldTextFormatter(includeTimestamp: true), Event(LogEventLevel.Information, "Connected to {Address}", null));

        Assert.StartsWith("<6>2026-01-02 03:04:05.000 +00:00 AgentConnectionService: ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_WithException_PrefixesEveryLine()
    {
        var text = Format(new JournaldTextFormatter(includeTimestamp: false),
            Event(LogEventLevel.Error, "Failed at {Address}", new InvalidOperationException("line one\nline two")));

        var lines = text.TrimEnd('\n').Split('\n');
        Assert.True(lines.Length >= 3);
        Assert.All(lines, line => Assert.StartsWith("<3>", line, StringComparison.Ordinal));
    }

    private static string Format(JournaldTextFormatter formatter, LogEvent logEvent)
    {
        using var writer = new StringWriter();
        formatter.Format(logEvent, writer);
        return writer.ToString();
    }

    private static LogEvent Event(LogEventLevel level, string template, Exception? exception) => new(
        new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        level,
        exception,
        new MessageTemplateParser().Parse(template),
        [
            new LogEventProperty("Address", new ScalarValue("https://c:7443")),
            new LogEventProperty("SourceContext", new ScalarValue("RollbackMesh.Agent.Connection.AgentConnectionService")),
        ]);
}
