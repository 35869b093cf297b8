using RollbackMesh.Demo;
using RollbackMesh.V1;
using JournalStatus = RollbackMesh.Agent.Journal.StepStatus;

namespace RollbackMesh.FunctionalTests.Infrastructure;

/// <summary>
/// Checks a finished run's record (as the coordinator reports it) against what the agents wrote: their journals and
/// their logs' "started" lines. The account is precise when no step ran twice, every step the record calls done ran
/// once and is journaled so, no journal row is unknown to the record, and every step that did not succeed says why
/// in words that agree with the journal (never "no result" where the node's journal held the answer).
/// </summary>
internal static class RunAccount
{
    /// <summary>The agent's words for a step it found started but never finished (it restarted meanwhile).</summary>
    public const string Interrupted = "interrupted, state unknown";

    // The coordinator's reason for a step it skipped, unsent, because its node failed earlier in the run.
    private const string NodeFailedPrefix = RollbackMesh.Coordinator.Model.StepRecord.NodeFailedPrefix;

    /// <summary>Every way <paramref name="run"/> fails to account precisely for its steps; empty when it does.</summary>
    public static IReadOnlyList<string> Problems(SandboxFleetHost host, RunStatus run)
    {
        var problems = new List<string>();
        if (run.State is not (RunState.Succeeded or RunState.SucceededWithFailures or RunState.Failed or RunState.Aborted))
        {
            problems.Add($"run {run.RunId} has not ended: {run.State}");
        }

        var journal = SandboxJournals.Read(host.Fleet, run.RunId);
        var known = run.Steps.Select(s => s.StepId).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(journal.Where(r => !known.Contains(r.StepId))
            .Select(r => $"{r.Node} journaled step {r.StepId} (status {(JournalStatus)r.Status}) that the run record does not hold"));

        foreach (var step in run.Steps)
        {
            var rows = journal.Where(r => r.StepId == step.StepId).ToList();
            var runs = SandboxJournals.ExecutionsInLog(host.LogFile(step.Node), run.RunId, step.StepId);
            var where = $"step {step.StepId} ({step.Phase}/{step.Name} on {step.Node}): {step.State}";
            if (runs > 1 || rows.Count > 1)
            {
                problems.Add($"{where} ran twice: {runs} starts in the agent's log, {rows.Count} journal rows");
            }

            if (rows.Any(r => r.Node != step.Node))
            {
                problems.Add($"{where} is journaled on {string.Join(", ", rows.Select(r => r.Node))}");
            }

            var row = rows.FirstOrDefault();
            problems.AddRange(StepProblems(where, step, row is null ? null : (JournalStatus)row.Status, runs));
        }

        var failedNodes = run.Steps.Where(s => s.State is not (StepState.Succeeded or StepState.Skipped or StepState.Pending)).Select(s => s.Node).Distinct().ToList();
        var notRun = run.Steps.Where(s => s.State == StepState.Pending || s.Error.StartsWith(NodeFailedPrefix, StringComparison.Ordinal)).ToList();
        switch (run.State)
        {
            case RunState.Succeeded when failedNodes.Count > 0 || notRun.Count > 0:
                problems.Add($"run {run.RunId} reads Succeeded with steps that did not succeed ({string.Join(", ", failedNodes)})");
                break;
            case RunState.SucceededWithFailures when failedNodes.Count == 0 || failedNodes.Any(n => !run.Message.Contains(n, StringComparison.Ordinal)):
                problems.Add($"run {run.RunId} finished with failures, but its message does not name the failed nodes ({string.Join(", ", failedNodes)}): {run.Message}");
                break;
            case RunState.Failed or RunState.Aborted when string.IsNullOrWhiteSpace(run.Message):
                problems.Add($"run {run.RunId} {run.State} without a reason");
                break;
        }

        return problems;
    }

    private static IEnumerable<string> StepProblems(string where, StepStatus step, JournalStatus? journaled, int runs)
    {
        switch (step.State)
        {
            case StepState.Skipped when step.Error.StartsWith(NodeFailedPrefix, StringComparison.Ordinal):
                // Not sent: an earlier step of its node failed within the phase's budget.
                if (journaled is not null || runs != 0)
                {
                    yield return $"{where} \"{step.Error}\", but the node ran it (journal {Journal(journaled)}, {runs} starts)";
                }

                break;
            case StepState.Succeeded or StepState.Skipped:
                if (journaled is not (JournalStatus.Succeeded or JournalStatus.Skipped) || runs != 1)
                {
                    yield return $"{where}, but the journal says {Journal(journaled)} and the log shows {runs} starts (lost)";
                }

                break;
            case StepState.Pending:
                if (journaled is not null || runs != 0)
                {
                    yield return $"{where}, but the node ran it (journal {Journal(journaled)}, {runs} starts)";
                }

                break;
            case StepState.Dispatched or StepState.Running or StepState.Unspecified:
                yield return $"{where} in a finished run (journal {Journal(journaled)})";
                break;
            case StepState.TimedOut:
                // Every node in these trials comes back well within the step's timeout, so its journal had the answer.
                yield return $"{where} \"{step.Error}\": a timeout where the journal held {Journal(journaled)}";
                break;
            default:
                if (string.IsNullOrWhiteSpace(step.Error))
                {
                    yield return $"{where} without a reason (journal {Journal(journaled)})";
                }
                else if (step.Error.Contains(Interrupted, StringComparison.Ordinal))
                {
                    // Started by a process that died: the journal row stays "started" (or the restarted agent closed it).
                    if (journaled is not (JournalStatus.Started or JournalStatus.Failed) || runs != 1)
                    {
                        yield return $"{where} \"{step.Error}\", but the journal says {Journal(journaled)} and the log shows {runs} starts";
                    }
                }
                else if (journaled is JournalStatus.Succeeded or JournalStatus.Skipped)
                {
                    yield return $"{where} \"{step.Error}\", but the journal says it {Journal(journaled)}";
                }

                break;
        }
    }

    private static string Journal(JournalStatus? status) => status?.ToString() ?? "nothing";
}
