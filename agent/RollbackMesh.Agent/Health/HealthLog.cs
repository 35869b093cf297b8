using Microsoft.Extensions.Logging;

namespace RollbackMesh.Agent.Health;

/// <summary>Log messages of health reporting (event ids 200-299).</summary>
internal static partial class HealthLog
{
    [LoggerMessage(200, LogLevel.Debug, "Health report sent (healthy: {Healthy}, problems: {ProblemCount})")]
    public static partial void ReportSent(ILogger logger, bool healthy, int problemCount);

    [LoggerMessage(201, LogLevel.Debug, "A watched unit or the last step changed: reporting early")]
    public static partial void EarlyReport(ILogger logger);
}
