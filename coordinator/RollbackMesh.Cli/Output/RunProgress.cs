using RollbackMesh.V1;

namespace RollbackMesh.Cli.Output;

/// <summary>
/// Follows a run's snapshots: prints each step transition once (phase, node, step, new state), a phase heading when
/// the run enters a phase, and summarises the current phase per node for the progress line.
/// </summary>
internal sealed class RunProgress
{
    private readonly Dictionary<string, StepState> _seen = new(StringComparer.Ordinal);
    private string _phase = "";

    /// <summary>The lines describing what changed since the previous snapshot.</summary>
    public IReadOnlyList<string> Changes(RunStatus run, string message)
    {
        var lines = new List<string>();
        if (run.CurrentPhase != _phase && run.CurrentPhase.Length > 0)
        {
            _phase = run.CurrentPhase;
            var nodes = string.Join(", ", run.Steps.Where(s => s.Phase == _phase).Select(s => s.Node).Distinct(StringComparer.Ordinal));
            lines.Add($"== phase {_phase}: {(nodes.Length == 0 ? "(no nodes)" : nodes)}");
        }

        foreach (var step in run.Steps)
        {
            var key = step.StepId;
            var known = _seen.TryGetValue(key, out var previous);
            _seen[key] = step.State;
            if ((known && previous == step.State) || (!known && step.State == StepState.Pending))
            {
                continue;
            }

            var detail = RunText.Detail(step);
            lines.Add($"   [{step.Phase}] {step.Node}: {step.Name} → {Format.State(step.State)}{(detail.Length > 0 ? " — " + detail : "")}");
        }

        // The event's own message mostly restates the transition shown above; it is printed only when nothing else was.
        if (lines.Count == 0 && message.Length > 0 && !message.Equals(run.Message, StringComparison.Ordinal))
        {
            lines.Add("   " + message);
        }

        return lines;
    }

    /// <summary>One line: run state, then each node of the current phase with its step count and what it is doing.</summary>
    public static string Summary(RunStatus run)
    {
        var steps = run.Steps.Where(s => s.Phase == run.CurrentPhase).ToList();
        var nodes = steps.GroupBy(s => s.Node, StringComparer.Ordinal).Select(g =>
        {
            var done = g.Count(s => s.State is StepState.Succeeded or StepState.Skipped);
            var active = g.FirstOrDefault(s => s.State is StepState.Running or StepState.Dispatched or StepState.Failed or StepState.TimedOut);
            return $"{g.Key} {done}/{g.Count()}{(active is null ? "" : " " + Format.State(active.State) + " " + active.Name)}";
        });
        var total = run.Steps.Count;
        var finished = run.Steps.Count(s => s.State is not (StepState.Pending or StepState.Dispatched or StepState.Running));
        return $"{Format.State(run.State)} {finished}/{total} steps; {run.CurrentPhase}: {string.Join(" | ", nodes)}";
    }
}
