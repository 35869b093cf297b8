using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace RollbackMesh.FunctionalTests.Security;

/// <summary>Every log line the coordinator writes (message, exception and state values), for assertions.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Category, string Text)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Category, string Text)> Entries => [.. _entries];

    public string AllText => string.Join('\n', _entries.Select(e => e.Text));

    public IReadOnlyList<string> Errors => [.. _entries.Where(e => e.Level >= LogLevel.Error).Select(e => $"{e.Category}: {e.Text}")];

    public ILogger CreateLogger(string categoryName) => new Collector(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Collector(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // The structured values too: a secret passed as a parameter but left out of the template would still leak.
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            owner._entries.Enqueue((logLevel, category, $"{formatter(state, exception)} {values} {exception}"));
        }
    }
}
