using Microsoft.Extensions.Logging;

namespace RollbackMesh.Coordinator.Hosting;

/// <summary>The coordinator host's log messages.</summary>
internal static partial class CoordinatorLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Warning,
        Message = "Running with --insecure: plaintext HTTP/2, no TLS, no client authentication. Anyone who can reach the port can command the fleet. Use only for tests and demos.")]
    public static partial void InsecureMode(ILogger logger);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Coordinator listening on {Address} (data {DataDirectory})")]
    public static partial void Listening(ILogger logger, string address, string dataDirectory);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "Loaded {Count} runbook(s)")]
    public static partial void RunbooksLoaded(ILogger logger, int count);

    [LoggerMessage(EventId = 105, Level = LogLevel.Error, Message = "Runbook refused: {Problem}")]
    public static partial void RunbookRefused(ILogger logger, string problem);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Coordinator stopped")]
    public static partial void Stopped(ILogger logger);
}
