using System.Collections.Concurrent;
using RollbackMesh.Coordinator.Model;
using RollbackMesh.Coordinator.Planning;

namespace RollbackMesh.Coordinator.Execution;

/// <summary>
/// The order of a run: reconciliation after a restart, preflight, then each phase wave by wave with its failure
/// budget and gate, then the run's end. It decides from the committed <see cref="IRunView"/> and changes the run only
/// by asking its inbox, so a flow built from the store after a crash continues where this one stopped.
/// </summary>
internal sealed class RunFlow(
    ExecutorContext context, Plan plan, RunInbox inbox, IRunView view, StepExecution steps, JournalReconciler journals, bool resumed)
{
    private string RunId => view.Snapshot.Run.RunId;

    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            if (resumed)
            {
                await journals.ReconcileAsync(ct).ConfigureAwait(false);
            }

            inbox.Post(new ReconcileDone());

            if (!view.Snapshot.Run.PreflightPassed)
            {
                var problems = await PreflightAsync(ct).ConfigureAwait(false);
                if (problems.Count > 0)
                {
                    await FinishAsync(RunState.Failed, "preflight failed; nothing was changed:\n" + string.Join("\n", problems.Select(p => " - " + p))).ConfigureAwait(false);
                    return;
                }

                await inbox.Ask<RunRecord>(r => new PassPreflight(r)).ConfigureAwait(false);
            }

            // The phase each node failed in (within budget): none of its later steps run, and gates do not judge it.
            var failedIn = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < plan.Phases.Length; i++)
            {
                var phase = plan.Phases[i];
                var gateAlreadyPassed = plan.Phases.Skip(i + 1).SelectMany(RunPlanSteps.Of).Any(s => view.Step(s.StepId).State != StepState.Pending);
                await inbox.Ask<RunRecord>(r => new StartPhase(phase.Name, r)).ConfigureAwait(false);
                var failed = await RunPhaseAsync(phase, ct).ConfigureAwait(false);
                if (FailureBudget.PhaseVerdict(phase, failed) is { } overBudget)
                {
                    await FinishAsync(RunState.Failed, overBudget).ConfigureAwait(false);
                    return;
                }

                foreach (var node in failed)
                {
                    failedIn.TryAdd(node, phase.Name);
                }

                await SkipFailedNodesAsync(i, failedIn).ConfigureAwait(false);
                if (phase.Gate is { } gate && !gateAlreadyPassed)
                {
                    var problems = await EvaluateGateAsync(phase, gate, failedIn.Keys, ct).ConfigureAwait(false);
                    if (problems.Count > 0)
                    {
                        await FinishAsync(RunState.Failed, $"gate after phase {phase.Name} did not hold within {gate.Timeout}:\n" + string.Join("\n", problems.Select(p => " - " + p))).ConfigureAwait(false);
                        return;
                    }
                }
            }

            var (state, message) = FailureBudget.RunVerdict(view.Snapshot.Steps);
            await FinishAsync(state, message).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Aborted (already recorded) or the executor is shutting down (the store holds where to resume).
        }
        catch (Exception ex)
        {
            RunLog.RunCrashed(context.Logger, ex, RunId);
            try
            {
                await FinishAsync(RunState.Failed, $"internal error: {ex.Message}").ConfigureAwait(false);
            }
            catch (Exception inner)
            {
                RunLog.RunCrashed(context.Logger, inner, RunId);
            }
        }
    }

    private Task FinishAsync(RunState state, string message) => inbox.Ask<RunRecord>(r => new FinishRun(state, message, r));

    /// <summary>
    /// Checks, before anything changes, every targeted node (connected, reporting, healthy, enough free disk for the
    /// quarantine) and runs the plan's read-only preflight steps on the nodes that are connected. Returns every
    /// problem found (empty: passed).
    /// </summary>
    private async Task<List<string>> PreflightAsync(CancellationToken ct)
    {
        var problems = new List<string>();
        var options = context.Options;
        var targets = plan.Preflight.Concat(plan.AllSteps).Select(s => s.Node).Distinct(StringComparer.Ordinal).ToList();
        var unreachable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in targets)
        {
            var nodeView = context.Registry.Get(node);
            if (PreflightChecks.CheckNode(node, nodeView, options) is { } problem)
            {
                problems.Add(problem);
            }

            if (nodeView is not { Connected: true } || !context.Link.IsConnected(node))
            {
                unreachable.Add(node);
            }
        }

        using var slots = new SemaphoreSlim(options.PreflightConcurrency, options.PreflightConcurrency);
        var stepProblems = await Task.WhenAll(plan.Preflight.Where(s => !unreachable.Contains(s.Node)).Select(async step =>
        {
            await slots.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                return await steps.ExecuteAsync(step, ct).ConfigureAwait(false) ? null : Describe(step);
            }
            finally
            {
                slots.Release();
            }
        })).ConfigureAwait(false);
        problems.AddRange(stepProblems.OfType<string>());
        problems.AddRange(plan.Preflight.Where(s => unreachable.Contains(s.Node)).Select(s => $"{s.Node}: preflight step {s.Name} not run (node unreachable)"));
        return problems;

        string Describe(PlanStep step)
        {
            var record = view.Step(step.StepId);
            var why = record.Error.Length > 0 ? record.Error : record.Summary;
            return $"{step.Node}: preflight step {step.Name} {record.State.ToString().ToUpperInvariant()}: {why}";
        }
    }

    /// <summary>
    /// Runs a phase wave by wave (a wave's nodes in parallel up to the phase's concurrency, each node's steps in
    /// order) and returns the nodes that failed, in the order they failed. Once failures exceed the budget no new step
    /// is started.
    /// </summary>
    private async Task<List<string>> RunPhaseAsync(PlanPhase phase, CancellationToken ct)
    {
        var failed = new PhaseFailures(FailureBudget.FailedNodes(RunPlanSteps.Of(phase).Select(s => view.Step(s.StepId))));
        var concurrency = phase.Mode == PhaseMode.Serial ? 1 : Math.Max(1, phase.MaxConcurrency);
        using var slots = new SemaphoreSlim(concurrency, concurrency);
        foreach (var wave in phase.Waves)
        {
            if (FailureBudget.IsExceeded(phase, failed.Count))
            {
                break;
            }

            await Task.WhenAll(wave.Nodes.Select(RunNodeAsync)).ConfigureAwait(false);
        }

        return failed.InOrder();

        async Task RunNodeAsync(PlanNodeSteps node)
        {
            await slots.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                foreach (var step in node.Steps)
                {
                    if (FailureBudget.IsExceeded(phase, failed.Count) && view.Step(step.StepId).State == StepState.Pending)
                    {
                        return;
                    }

                    if (!await steps.ExecuteAsync(step, ct).ConfigureAwait(false))
                    {
                        failed.Add(node.Node);
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

    /// <summary>
    /// After a phase that ended within its failure budget: every node that failed so far gets none of its remaining
    /// steps (in this phase or any later one). They are recorded SKIPPED with <see cref="StepRecord.NodeFailedPrefix"/>
    /// and the phase, before the next phase starts, so a resumed run never dispatches them either.
    /// </summary>
    private Task SkipFailedNodesAsync(int phaseIndex, IReadOnlyDictionary<string, string> failedIn)
    {
        var records = view.Snapshot.Steps.ToDictionary(s => s.StepId, StringComparer.Ordinal);
        var skip = FailureBudget.StepsToSkip(plan, phaseIndex, failedIn, records);
        return inbox.Ask(r => new SkipSteps(skip, r));
    }

    /// <summary>
    /// Polls the registry (and re-checks on each of the phase's nodes' reports) until every check of
    /// <paramref name="gate"/> holds on every node of the phase that did not fail (within budget), or the gate's timeout
    /// passes. Returns the problems still open at the timeout.
    /// </summary>
    private async Task<List<string>> EvaluateGateAsync(PlanPhase phase, PlanGate gate, IReadOnlyCollection<string> failed, CancellationToken ct)
    {
        var nodes = GateJudge.JudgedNodes(phase, failed);
        var lastStepEnded = GateJudge.LastStepEnded(phase, view.Snapshot.Steps);
        var giveUp = context.Time.GetUtcNow() + gate.Timeout;
        var settling = new UnitSettling();
        while (true)
        {
            var problems = GateJudge.Problems(nodes, gate, context.Registry.Get, lastStepEnded, context.Options.GatesRequireFreshHealth, settling);
            if (problems.IsEmpty || context.Time.GetUtcNow() >= giveUp)
            {
                return [.. problems];
            }

            // Re-check at the next poll, or as soon as one of the nodes reports (what a gate after a phase waits for).
            await Task.WhenAny(Task.Delay(context.Options.GatePollInterval, context.Time, ct), context.Registry.NextReportAsync(nodes)).ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
        }
    }

    /// <summary>The nodes failed in a phase, added by its node tasks concurrently; each node once, in failure order.</summary>
    private sealed class PhaseFailures
    {
        private readonly ConcurrentDictionary<string, long> _order = new(StringComparer.Ordinal);
        private long _next;

        public PhaseFailures(IEnumerable<string> already)
        {
            foreach (var node in already)
            {
                Add(node);
            }
        }

        public int Count => _order.Count;

        public void Add(string node) => _order.TryAdd(node, Interlocked.Increment(ref _next));

        public List<string> InOrder() => [.. _order.OrderBy(p => p.Value).Select(p => p.Key)];
    }
}
