using System.Collections.Immutable;
using System.Threading.Channels;
using RollbackMesh.Coordinator.Model;
using RollbackMesh.Coordinator.Planning;

namespace RollbackMesh.Coordinator.Execution;

/// <summary>
/// What a run's inbox carries to its <see cref="RunLedger"/>. A reply completes once the change it asks for is
/// committed to the store and published (a refusal replies at once).
/// </summary>
internal abstract record RunMessage;

// From agents, through the executor.

/// <summary>
/// An agent reported on an attempt of one of the run's steps (its node and id already checked) at <paramref name="At"/>:
/// the time the change is recorded with, so a health report the agent sends right after it counts as newer.
/// </summary>
internal sealed record StepReported(string Node, string StepId, int Attempt, AgentStepUpdate Update, DateTimeOffset At) : RunMessage;

/// <summary>A node's stream opened at <paramref name="At"/>; it may have reconnected with steps of the run in flight.</summary>
internal sealed record NodeConnected(string Node, DateTimeOffset At) : RunMessage;

/// <summary>A node answered a JournalQuery.</summary>
internal sealed record JournalAnswered(string Node, ImmutableArray<JournalRecord> Entries) : RunMessage;

// Operator commands.

internal sealed record PauseRun(string Who, string Reason, TaskCompletionSource<RunRecord> Reply) : RunMessage;

internal sealed record ResumeRun(string Who, string Reason, TaskCompletionSource<RunRecord> Reply) : RunMessage;

internal sealed record AbortRun(string Who, string Reason, TaskCompletionSource<RunRecord> Reply) : RunMessage;

/// <summary>Approve <paramref name="StepId"/>; empty: the step the run waits on.</summary>
internal sealed record ApproveStep(string StepId, string Who, TaskCompletionSource<RunRecord> Reply) : RunMessage;

// Timers.

/// <summary>A delivered step's timeout (+ grace) passed; the reply says whether this ended the step TIMED_OUT.</summary>
internal sealed record StepDeadlinePassed(string StepId, TimeSpan Timeout, TaskCompletionSource<bool> Reply) : RunMessage;

/// <summary>A journal query to <paramref name="Node"/> got no answer in time (or its send failed): the wait gets null.</summary>
internal sealed record JournalWaitEnded(string Node, TaskCompletionSource<ImmutableArray<JournalRecord>?> Wait) : RunMessage;

// From the run's own flow.

internal sealed record PassPreflight(TaskCompletionSource<RunRecord> Reply) : RunMessage;

internal sealed record StartPhase(string Phase, TaskCompletionSource<RunRecord> Reply) : RunMessage;

internal sealed record FinishRun(RunState State, string Message, TaskCompletionSource<RunRecord> Reply) : RunMessage;

/// <summary>The flow may dispatch steps now: it completes when the run is not paused.</summary>
internal sealed record AwaitRunnable(TaskCompletionSource Reply) : RunMessage;

/// <summary>The flow reached <paramref name="Step"/>, which needs approval: it completes when approved.</summary>
internal sealed record AwaitApproval(PlanStep Step, TaskCompletionSource Reply) : RunMessage;

/// <summary>Record the step dispatched (replies false when it already ended); its command goes out with <paramref name="Deadline"/>.</summary>
internal sealed record DispatchStep(string StepId, DateTimeOffset Deadline, TaskCompletionSource<bool> Reply) : RunMessage;

/// <summary>Record one more send of a step in flight (after its node came back); false when it settled meanwhile.</summary>
internal sealed record RedispatchStep(string StepId, DateTimeOffset Deadline, TaskCompletionSource<bool> Reply) : RunMessage;

/// <summary>Whether the flow is retrying the send of a step: a reconnect leaves such a step to it.</summary>
internal sealed record SendRetrying(string StepId, bool Retrying) : RunMessage;

/// <summary>
/// A reconnected node may have lost the step's command: record a resend, unless the step settled or its send is being
/// retried. Replies the deadline to send with, or null.
/// </summary>
internal sealed record ResendAfterReconnect(string StepId, TaskCompletionSource<DateTimeOffset?> Reply) : RunMessage;

/// <summary>A coordinator-side failure of a step that has not ended (the flow then waits for the step's end).</summary>
internal sealed record FailStep(string StepId, StepState State, string Error) : RunMessage;

/// <summary>Skip these pending steps: their node failed in the phase named with each.</summary>
internal sealed record SkipSteps(ImmutableArray<(string StepId, string FailedPhase)> Steps, TaskCompletionSource Reply) : RunMessage;

/// <summary>Deliver <paramref name="Node"/>'s next journal answer for this run to <paramref name="Wait"/>.</summary>
internal sealed record AwaitJournal(string Node, TaskCompletionSource<ImmutableArray<JournalRecord>?> Wait) : RunMessage;

/// <summary>The restart's reconciliation is done: from now on a reconnect settles its node's steps from its journal.</summary>
internal sealed record ReconcileDone : RunMessage;

/// <summary>Send the run's changes to <paramref name="Watcher"/>, starting with its state now.</summary>
internal sealed record AddWatcher(Channel<RunEventRecord> Watcher) : RunMessage;

/// <summary>A store write the ledger queued has completed: its effects may be published.</summary>
internal sealed record WriteLanded : RunMessage
{
    public static readonly WriteLanded Instance = new();
}
