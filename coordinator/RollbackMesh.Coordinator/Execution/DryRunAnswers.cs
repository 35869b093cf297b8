using System.Collections.Concurrent;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Execution;

/// <summary>
/// The dry-run steps waiting for their agent's answer (<see cref="DryRunDispatcher"/> asks; the agents' step updates
/// come here through <see cref="RunInboxes"/>). Only the node a dry-run step was sent to may answer it.
/// </summary>
internal sealed class DryRunAnswers
{
    private readonly ConcurrentDictionary<(string RunId, string StepId), (string Node, TaskCompletionSource<StepOutcome> Answer)> _pending = new();

    /// <summary>Completes with <paramref name="node"/>'s answer for the step (until <see cref="Forget"/>).</summary>
    public Task<StepOutcome> Expect(string runId, string stepId, string node)
    {
        var answer = new TaskCompletionSource<StepOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[(runId, stepId)] = (node, answer);
        return answer.Task;
    }

    public void Forget(string runId, string stepId) => _pending.TryRemove((runId, stepId), out _);

    /// <summary>Takes an update that belongs to a dry run (true: consumed, including late answers nobody waits for any more).</summary>
    public bool TryDeliver(string node, AgentStepUpdate update)
    {
        if (!update.RunId.StartsWith(DryRunDispatcher.RunIdPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        if (update.State.IsTerminal() && _pending.TryGetValue((update.RunId, update.StepId), out var pending) && pending.Node == node)
        {
            pending.Answer.TrySetResult(update.Outcome ?? new StepOutcome(update.State, "", "", false, false));
        }

        return true;
    }
}
