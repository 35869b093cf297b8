using Microsoft.Extensions.Logging;
using RollbackMesh.Coordinator.Fleet;
using RollbackMesh.Coordinator.Storage;

namespace RollbackMesh.Coordinator.Execution;

/// <summary>What every run driver shares. <see cref="StepObserver"/> (the metrics) is told of every step change.</summary>
internal sealed record ExecutorContext(
    CoordinatorStore Store,
    FleetRegistry Registry,
    IAgentLink Link,
    ExecutorOptions Options,
    TimeProvider Time,
    ILogger Logger,
    IStepObserver? StepObserver = null);
