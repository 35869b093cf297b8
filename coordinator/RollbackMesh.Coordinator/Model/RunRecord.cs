namespace RollbackMesh.Coordinator.Model;

/// <summary>
/// The recorded header of a run. <see cref="AwaitingApproval"/> is the step id waiting for an operator, empty when
/// none; <see cref="PreflightPassed"/> is set once preflight passed, so a resumed run does not repeat it.
/// </summary>
internal sealed record RunRecord(
    string RunId,
    string Runbook,
    string PlanHash,
    RunState State,
    string CurrentPhase,
    string Message,
    string StartedBy,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    string AwaitingApproval,
    bool PreflightPassed)
{
    /// <summary>
    /// The one cluster the run's plan covers (agent.yaml <c>cluster</c>); empty for nodes that name none and for runs
    /// stored before plans were scoped to a cluster. At most one unfinished run per cluster (<c>RunExecutor</c>).
    /// </summary>
    public string Cluster { get; init; } = "";

    /// <summary>1 when started; each <c>retry</c> counts one more.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>The run reached an end state and will not change again.</summary>
    public bool IsFinished => State.IsFinished();
}
