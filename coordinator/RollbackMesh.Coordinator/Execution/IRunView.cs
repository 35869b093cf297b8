using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Execution;

/// <summary>
/// The run as committed, for code outside the run's loop: read from any thread, changed only by the
/// <see cref="RunLedger"/>. A reply to a request is sent after the view shows its change.
/// </summary>
internal interface IRunView
{
    RunSnapshot Snapshot { get; }

    StepRecord Step(string stepId);

    /// <summary>Completes with the step's terminal record once committed.</summary>
    Task<StepRecord> Terminal(string stepId);

    /// <summary>When <paramref name="node"/> last (re)connected, as the loop saw it (<see cref="DateTimeOffset.MinValue"/>: not since the run started).</summary>
    DateTimeOffset LastConnected(string node);
}
