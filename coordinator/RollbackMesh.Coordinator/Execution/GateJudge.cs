using System.Collections.Immutable;
using RollbackMesh.Coordinator.Fleet;
using RollbackMesh.Coordinator.Model;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Runbooks;

namespace RollbackMesh.Coordinator.Execution;

/// <summary>
/// Whether a phase's gate holds: a function of the phase, its steps' records and the nodes' views. The one memory it
/// keeps between polls is the caller's <see cref="UnitSettling"/> (how long each unit has been steady).
/// </summary>
internal static class GateJudge
{
    /// <summary>The nodes a gate judges: every node of the phase except those that failed within budget.</summary>
    public static ImmutableArray<string> JudgedNodes(PlanPhase phase, IReadOnlyCollection<string> failed) =>
        [.. phase.Waves.SelectMany(w => w.Nodes).Select(n => n.Node).Where(n => !failed.Contains(n)).Distinct()];

    /// <summary>
    /// When each node's last step of the phase ended: a node's health report counts only if received after it
    /// (agents report after a step).
    /// </summary>
    public static ImmutableDictionary<string, DateTimeOffset> LastStepEnded(PlanPhase phase, IReadOnlyList<StepRecord> steps)
    {
        var inPhase = RunPlanSteps.Of(phase).Select(s => s.StepId).ToHashSet(StringComparer.Ordinal);
        return steps.Where(s => inPhase.Contains(s.StepId)).GroupBy(s => s.Node)
            .ToImmutableDictionary(g => g.Key, g => g.Max(s => s.UpdatedAt), StringComparer.Ordinal);
    }

    /// <summary>Every problem that keeps the gate from holding now (empty: it holds).</summary>
    public static ImmutableArray<string> Problems(
        IEnumerable<string> nodes, PlanGate gate, Func<string, NodeView?> view, IReadOnlyDictionary<string, DateTimeOffset> lastStepEnded,
        bool requireFreshHealth, UnitSettling settling) =>
        [.. nodes.SelectMany(n => CheckNode(n, gate, view(n), lastStepEnded.GetValueOrDefault(n), requireFreshHealth, settling))];

    private static IEnumerable<string> CheckNode(
        string node, PlanGate gate, NodeView? view, DateTimeOffset nodeFinished, bool requireFreshHealth, UnitSettling settling)
    {
        if (view is not { Connected: true, Stale: false, Health: { } health })
        {
            yield return $"{node}: not connected or not reporting";
            yield break;
        }

        if (requireFreshHealth && health.ReceivedAt < nodeFinished)
        {
            yield return $"{node}: no health report since its last step of the phase ended";
            yield break;
        }

        foreach (var check in gate.Checks)
        {
            if (Failing(node, check, health, settling) is { } problem)
            {
                yield return $"{node}: {problem}";
            }
        }
    }

    private static string? Failing(string node, GateCheck check, NodeHealth health, UnitSettling settling) => check.Kind switch
    {
        // Healthy means the agent and its probes are fine; a stopped unit is judged only by unit_active checks.
        GateCheckKind.NodesHealthy => health.Healthy ? null : $"unhealthy: {string.Join("; ", health.Problems)}",
        // The runbook may name "k3s" where the agent reports "k3s.service" (systemctl accepts both).
        GateCheckKind.UnitActive => health.Units.FirstOrDefault(u => UnitNames.Same(u.Unit, check.Target)) switch
        {
            null => $"unit {check.Target} not reported",
            var unit => settling.Check(node, check, unit, health),
        },
        // The whole reported version must match: v1.29.4+k3s10 is not v1.29.4+k3s1.
        GateCheckKind.VersionMatches => (health.Versions.TryGetValue(check.Target, out var version), ParameterValues.TryCompile(check.Argument, out var pattern)) switch
        {
            (_, false) => $"version pattern /{check.Argument}/ is not a valid regular expression",
            (false, _) => $"{check.Target} version not reported",
            _ when pattern.IsMatch(version!) => null,
            _ => $"{check.Target} is {version}, expected /{check.Argument}/",
        },
        _ => $"unknown gate check {check.Kind}",
    };
}
