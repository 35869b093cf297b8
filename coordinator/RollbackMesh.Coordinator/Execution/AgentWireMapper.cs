using System.Collections.Immutable;
using Google.Protobuf.WellKnownTypes;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Execution;

/// <summary>Maps step messages between the wire and the executor's records.</summary>
internal static class AgentWireMapper
{
    public static StepState ToState(V1.StepState state) =>
        state == V1.StepState.Unspecified ? StepState.Pending : (StepState)(int)state;

    public static V1.StepState ToWire(StepState state) => (V1.StepState)(int)state;

    public static StepOutcome? ToOutcome(V1.StepResult? result) => result is null
        ? null
        : new StepOutcome(ToState(result.State), result.Summary, result.Error, result.AlreadyDone, result.Verified, result.DryRun);

    public static AgentStepUpdate ToUpdate(V1.StepUpdate update) =>
        new(update.RunId, update.StepId, ToState(update.State), update.OutputChunk, ToOutcome(update.Result));

    public static ImmutableArray<JournalRecord> ToJournal(V1.JournalReport report) =>
        [.. report.Entries.Select(e => new JournalRecord(e.RunId, e.StepId, ToState(e.State), ToOutcome(e.Result)))];

    public static V1.CoordinatorMessage StepCommand(string runId, string stepId, V1.Action action, DateTimeOffset deadline, bool dryRun = false) => new()
    {
        Step = new V1.StepCommand
        {
            RunId = runId,
            StepId = stepId,
            Action = action,
            DryRun = dryRun,
            Deadline = Timestamp.FromDateTimeOffset(deadline),
        },
    };

    public static V1.CoordinatorMessage Cancel(string runId, string stepId) =>
        new() { Cancel = new V1.CancelStep { RunId = runId, StepId = stepId } };

    public static V1.CoordinatorMessage JournalQuery(string runId) =>
        new() { JournalQuery = new V1.JournalQuery { RunId = runId } };
}
