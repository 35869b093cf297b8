using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Fleet;

namespace RollbackMesh.Coordinator.Hosting;

/// <summary>The option objects of the coordinator's parts, gathered so one callback can adjust them before start.</summary>
internal sealed class CoordinatorSettings
{
    /// <summary>Fleet registry options (health interval, staleness). Defaults: see <see cref="FleetOptions"/>.</summary>
    public FleetOptions Fleet { get; } = new();

    /// <summary>Run executor options (timeouts, preflight). Defaults: see <see cref="ExecutorOptions"/>.</summary>
    public ExecutorOptions Executor { get; } = new();

    /// <summary>How long shutdown waits for open calls after cancelling streams. Default 10 s.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
