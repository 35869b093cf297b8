using RollbackMesh.Coordinator.Planning;

namespace RollbackMesh.Coordinator.Execution;

internal sealed partial class RunDriver
{
    /// <summary>
    /// Checks, before anything changes, every targeted node (connected, reporting, healthy, enough free disk for the
    /// quarantine) and runs the plan's read-only preflight steps on the nodes that are connected. Returns every
    /// problem found (empty: passed).
    /// </summary>
    private async Task<List<string>> PreflightAsync(CancellationToken ct)
    {
        var problems = new List<string>();
        var options = _context.Options;
        var targets = _plan.Preflight.Concat(_plan.AllSteps).Select(s => s.Node).Distinct(StringComparer.Ordinal).ToList();
        var unreachable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in targets)
        {
            var view = _context.Registry.Get(node);
            var problem = PreflightChecks.CheckNode(node, view, options);
            if (problem is not null)
            {
                problems.Add(problem);
            }

            if (view is not { Connected: true } || !_context.Link.IsConnected(node))
            {
                unreachable.Add(node);
            }
        }

        using var slots = new SemaphoreSlim(options.PreflightConcurrency, options.PreflightConcurrency);
        var stepProblems = await Task.WhenAll(_plan.Preflight.Where(s => !unreachable.Contains(s.Node)).Select(async step =>
        {
            await slots.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                return await ExecuteStepAsync(step, ct).ConfigureAwait(false) ? null : Describe(step);
            }
            finally
            {
                slots.Release();
            }
        })).ConfigureAwait(false);
        problems.AddRange(stepProblems.OfType<string>());
        problems.AddRange(_plan.Preflight.Where(s => unreachable.Contains(s.Node)).Select(s => $"{s.Node}: preflight step {s.Name} not run (node unreachable)"));
        return problems;

        string Describe(PlanStep step)
        {
            var record = GetStep(step.StepId);
            var why = record.Error.Length > 0 ? record.Error : record.Summary;
            return $"{step.Node}: preflight step {step.Name} {record.State.ToString().ToUpperInvariant()}: {why}";
        }
    }
}
