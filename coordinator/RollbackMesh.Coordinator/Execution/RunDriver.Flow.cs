using Microsoft.Extensions.Logging;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Execution;

internal sealed partial class RunDriver
{
    private async Task RunAsync()
    {
        var ct = _stop.Token;
        try
        {
            if (_resumed)
            {
                await ReconcileAsync(ct).ConfigureAwait(false);
            }

            _liveReconcile = true;

            if (!CurrentRun.PreflightPassed)
            {
                var problems = await PreflightAsync(ct).ConfigureAwait(false);
                if (problems.Count > 0)
                {
                    await FinishAsync(RunState.Failed, "preflight failed; nothing was changed:\n" + string.Join("\n", problems.Select(p => " - " + p))).ConfigureAwait(false);
                    return;
                }

                await UpdateRunAsync(r => r with { PreflightPassed = true }, "preflight passed", _context.Options.CoordinatorIdentity, "run.preflight_passed").ConfigureAwait(false);
            }

            for (var i = 0; i < _plan.Phases.Length; i++)
            {
                var phase = _plan.Phases[i];
                var gateAlreadyPassed = _plan.Phases.Skip(i + 1).SelectMany(PhaseSteps).Any(s => GetStep(s.StepId).State != StepState.Pending);
                await UpdateRunAsync(r => r with { CurrentPhase = phase.Name }, $"phase {phase.Name}", _context.Options.CoordinatorIdentity, "run.phase").ConfigureAwait(false);
                var failed = await RunPhaseAsync(phase, ct).ConfigureAwait(false);
                if (FailureBudget.PhaseVerdict(phase, failed) is { } overBudget)
                {
                    await FinishAsync(RunState.Failed, overBudget).ConfigureAwait(false);
                    return;
                }

                await SkipFailedNodesAsync(i, failed).ConfigureAwait(false);
                if (phase.Gate is { } gate && !gateAlreadyPassed)
                {
                    var problems = await EvaluateGateAsync(phase, gate, FailedNodes(), ct).ConfigureAwait(false);
                    if (problems.Count > 0)
                    {
                        await FinishAsync(RunState.Failed, $"gate after phase {phase.Name} did not hold within {gate.Timeout}:\n" + string.Join("\n", problems.Select(p => " - " + p))).ConfigureAwait(false);
                        return;
                    }
                }
            }

            var (state, message) = FailureBudget.RunVerdict(StepsSnapshot());
            await FinishAsync(state, message).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Aborted (already recorded) or the executor is shutting down (the store holds where to resume).
        }
        catch (Exception ex)
        {
            Log.RunCrashed(_context.Logger, ex, RunId);
            try
            {
                await FinishAsync(RunState.Failed, $"internal error: {ex.Message}").ConfigureAwait(false);
            }
            catch (Exception inner)
            {
                Log.RunCrashed(_context.Logger, inner, RunId);
            }
        }
    }

    private static IEnumerable<PlanStep> PhaseSteps(PlanPhase phase) => RunPlanSteps.Of(phase);

    /// <summary>
    /// Runs a phase wave by wave (a wave's nodes in parallel up to the phase's concurrency, each node's steps in
    /// order) and returns the nodes that failed. Once failures exceed the budget no new step is started.
    /// </summary>
    private async Task<List<string>> RunPhaseAsync(PlanPhase phase, CancellationToken ct)
    {
        var failed = FailureBudget.FailedNodes(PhaseSteps(phase).Select(s => GetStep(s.StepId))).ToList();
        var concurrency = phase.Mode == PhaseMode.Serial ? 1 : Math.Max(1, phase.MaxConcurrency);
        using var slots = new SemaphoreSlim(concurrency, concurrency);
        foreach (var wave in phase.Waves)
        {
            if (OverBudget())
            {
                break;
            }

            await Task.WhenAll(wave.Nodes.Select(RunNodeAsync)).ConfigureAwait(false);
        }

        lock (failed)
        {
            return [.. failed];
        }

        bool OverBudget()
        {
            lock (failed)
            {
                return FailureBudget.IsExceeded(phase, failed.Count);
            }
        }

        async Task RunNodeAsync(PlanNodeSteps node)
        {
            await slots.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                foreach (var step in node.Steps)
                {
                    if (OverBudget() && GetStep(step.StepId).State == StepState.Pending)
                    {
                        return;
                    }

                    if (!await ExecuteStepAsync(step, ct).ConfigureAwait(false))
                    {
                        lock (failed)
                        {
                            if (!failed.Contains(node.Node))
                            {
                                failed.Add(node.Node);
                            }
                        }

                        return;
                    }
                }
            }
            finally
            {
                slots.Release();
            }
        }
    }

    private Task FinishAsync(RunState state, string message)
    {
        var account = state == RunState.Succeeded ? message : $"{message}\n{RunSummary.Describe(StepsSnapshot())}";
        return UpdateRunAsync(
            r => r with { State = state, FinishedAt = _context.Time.GetUtcNow(), Message = account, AwaitingApproval = "" },
            message, _context.Options.CoordinatorIdentity, "run." + SnakeCase(state.ToString()));
    }

    // The audit's event name for a run state: Succeeded → succeeded, SucceededWithFailures → succeeded_with_failures.
    private static string SnakeCase(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    private static partial class Log
    {
        [LoggerMessage(EventId = 402, Level = LogLevel.Error, Message = "Run {RunId} stopped on an unexpected error")]
        public static partial void RunCrashed(ILogger logger, Exception exception, string runId);

        [LoggerMessage(EventId = 403, Level = LogLevel.Information, Message = "Run {RunId}: node {Node} journal settled {Count} in-flight step(s)")]
        public static partial void Reconciled(ILogger logger, string runId, string node, int count);

        [LoggerMessage(EventId = 404, Level = LogLevel.Warning, Message = "Run {RunId}: step {StepId} could not be sent to {Node} (not connected); waiting for it to reconnect")]
        public static partial void SendFailed(ILogger logger, string runId, string stepId, string node);

        [LoggerMessage(EventId = 405, Level = LogLevel.Information, Message = "Run {RunId}: step {StepId} was not in {Node}'s journal after it reconnected; resent")]
        public static partial void Resent(ILogger logger, string runId, string stepId, string node);

        [LoggerMessage(EventId = 406, Level = LogLevel.Warning, Message = "Run {RunId}: {Node} reconnected but did not answer the journal query; its steps wait for their timeout")]
        public static partial void NoJournal(ILogger logger, string runId, string node);
    }
}
