using Serilog.Events;

namespace RollbackMesh.Coordinator.Hosting;

/// <summary>How the coordinator process logs (logLevel, logFile in coordinator.yaml).</summary>
/// <param name="Level">The minimum level. Default Information.</param>
/// <param name="File">A file written in addition to stderr; null for none.</param>
internal sealed record CoordinatorLogSettings(LogEventLevel Level = LogEventLevel.Information, string? File = null);
