using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace RollbackMesh.Testing.Logging;

/// <summary>
/// A logger provider that keeps every record (Microsoft.Extensions.Diagnostics.Testing's collector) and the views
/// tests assert on: the error lines, and all text including structured values, for "no secret in the logs" checks.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly FakeLoggerProvider _provider;

    public CapturedLogs() => _provider = new FakeLoggerProvider(Collector);

    public FakeLogCollector Collector { get; } = new();

    public IReadOnlyList<FakeLogRecord> Records => Collector.GetSnapshot();

    /// <summary>One line per record: "Level Category: message exception".</summary>
    public IReadOnlyList<string> Lines => [.. Records.Select(r => $"{r.Level} {r.Category}: {r.Message}{(r.Exception is null ? "" : " " + r.Exception)}")];

    /// <summary>"Category: message exception" of every record at Error or above.</summary>
    public IReadOnlyList<string> Errors =>
        [.. Records.Where(r => r.Level >= LogLevel.Error).Select(r => $"{r.Category}: {r.Message}{(r.Exception is null ? "" : " " + r.Exception)}")];

    /// <summary>Messages, structured values and exceptions: a secret passed as a parameter but left out of the template
    /// would still leak, so it must show here.</summary>
    public string AllText => string.Join('\n', Records.Select(r =>
        $"{r.Message} {string.Join(' ', (r.StructuredState ?? []).Select(p => $"{p.Key}={p.Value}"))} {r.Exception}"));

    public ILogger CreateLogger(string categoryName) => _provider.CreateLogger(categoryName);

    public void Dispose() => _provider.Dispose();
}
