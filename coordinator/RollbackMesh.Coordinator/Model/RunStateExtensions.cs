namespace RollbackMesh.Coordinator.Model;

internal static class RunStateExtensions
{
    /// <summary>The states a run ends in; it never changes again (until a retry starts it anew).</summary>
    public static readonly IReadOnlyList<RunState> Finished =
        [RunState.Succeeded, RunState.SucceededWithFailures, RunState.Failed, RunState.Aborted];

    public static bool IsFinished(this RunState state) => Finished.Contains(state);
}
