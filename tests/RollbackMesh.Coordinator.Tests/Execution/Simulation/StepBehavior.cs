using StepState = RollbackMesh.V1.StepState;

using RollbackMesh.Coordinator.Model;
namespace RollbackMesh.Coordinator.Tests.Execution.Simulation;

/// <summary>How a simulated agent answers one step: after <see cref="Delay"/> it reports <see cref="Result"/>; <see cref="Hang"/> never answers.</summary>
internal sealed record StepBehavior(TimeSpan Delay, StepState Result = StepState.Succeeded, string Error = "", bool Hang = false)
{
    public static StepBehavior Ok(int milliseconds = 0) => new(TimeSpan.FromMilliseconds(milliseconds));

    public static StepBehavior Fail(string error, int milliseconds = 0) => new(TimeSpan.FromMilliseconds(milliseconds), StepState.Failed, error);

    public static StepBehavior Hangs() => new(TimeSpan.Zero, Hang: true);
}
