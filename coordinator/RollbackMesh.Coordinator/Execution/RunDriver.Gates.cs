using RollbackMesh.Coordinator.Fleet;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Runbooks;

namespace RollbackMesh.Coordinator.Execution;

internal sealed partial class RunDriver
{
    /// <summary>
    /// Polls the registry until every check of <paramref name="gate"/> holds on every node of the phase that did not
    /// fail (within budget), or the gate's timeout passes. Returns the problems still open at the timeout.
    /// </summary>
    private async Task<List<string>> EvaluateGateAsync(PlanPhase phase, PlanGate gate, IReadOnlyCollection<string> failed, CancellationToken ct)
    {
        var nodes = phase.Waves.SelectMany(w => w.Nodes).Select(n => n.Node).Where(n => !failed.Contains(n)).Distinct().ToList();
        // A node's report counts only if received after its last step of the phase ended (agents report after a step).
        var finishedAt = PhaseSteps(phase).Select(s => GetStep(s.StepId)).GroupBy(s => s.Node)
            .ToDictionary(g => g.Key, g => g.Max(s => s.UpdatedAt), StringComparer.Ordinal);
        var giveUp = _context.Time.GetUtcNow() + gate.Timeout;
        var settling = new UnitSettling();
        while (true)
        {
            var problems = nodes.SelectMany(n => CheckNode(n, gate, finishedAt.GetValueOrDefault(n), settling)).ToList();
            if (problems.Count == 0)
            {
                return problems;
            }

            if (_context.Time.GetUtcNow() >= giveUp)
            {
                return problems;
            }

            await Task.Delay(_context.Options.GatePollInterval, _context.Time, ct).ConfigureAwait(false);
        }
    }

    private IEnumerable<string> CheckNode(string node, PlanGate gate, DateTimeOffset nodeFinished, UnitSettling settling)
    {
        var view = _context.Registry.Get(node);
        if (view is not { Connected: true, Stale: false, Health: { } health })
        {
            yield return $"{node}: not connected or not reporting";
            yield break;
        }

        if (_context.Options.GatesRequireFreshHealth && health.ReceivedAt < nodeFinished)
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
