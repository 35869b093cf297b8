namespace RollbackMesh.Coordinator.Model;

internal static class StepStateExtensions
{
    /// <summary>A terminal state never changes again.</summary>
    public static bool IsTerminal(this StepState state) => state is not (StepState.Pending or StepState.Dispatched or StepState.Running);

    /// <summary>The step's effect is in place (it ran, or had already been done).</summary>
    public static bool IsSuccess(this StepState state) => state is StepState.Succeeded or StepState.Skipped;

    /// <summary>The command may have reached the agent and no outcome is known yet.</summary>
    public static bool IsInFlight(this StepState state) => state is StepState.Dispatched or StepState.Running;
}
