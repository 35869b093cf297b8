using Google.Protobuf.WellKnownTypes;
using RollbackMesh.Agent.Journal;
using V1 = RollbackMesh.V1;

namespace RollbackMesh.Agent.Steps;

/// <summary>Maps journal records to the wire types (the edge).</summary>
internal static class StepResults
{
    /// <summary>The wire state of a journal status.</summary>
    public static V1.StepState ToWire(StepStatus status) => status switch
    {
        StepStatus.Started => V1.StepState.Running,
        StepStatus.Succeeded => V1.StepState.Succeeded,
        StepStatus.Failed => V1.StepState.Failed,
        StepStatus.Cancelled => V1.StepState.Cancelled,
        StepStatus.Skipped => V1.StepState.Skipped,
        StepStatus.TimedOut => V1.StepState.TimedOut,
        StepStatus.Refused => V1.StepState.Refused,
        _ => V1.StepState.Unspecified,
    };

    /// <summary>The wire result of an outcome.</summary>
    public static V1.StepResult ToWire(StepOutcome outcome) => new()
    {
        State = ToWire(outcome.Status),
        Summary = outcome.Summary,
        Error = outcome.Error,
        DryRun = outcome.DryRun,
        AlreadyDone = outcome.AlreadyDone,
        Verified = outcome.Verified,
        StartedAt = Timestamp.FromDateTimeOffset(outcome.StartedAt),
        FinishedAt = Timestamp.FromDateTimeOffset(outcome.FinishedAt),
    };

    /// <summary>The wire entry of a journal row; a row still "started" is reported as RUNNING with no result.</summary>
    public static V1.JournalEntry ToWire(StepJournalEntry entry)
    {
        var wire = new V1.JournalEntry { RunId = entry.RunId, StepId = entry.StepId, State = ToWire(entry.Status) };
        if (entry.Outcome is { } outcome)
        {
            wire.Result = ToWire(outcome);
        }

        return wire;
    }
}
