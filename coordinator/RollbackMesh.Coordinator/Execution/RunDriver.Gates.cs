using RollbackMesh.Coordinator.Planning;

namespace RollbackMesh.Coordinator.Execution;

internal sealed partial class RunDriver
{
    /// <summary>
    /// Polls the registry until every check of <paramref name="gate"/> holds on every node of the phase that did not
    /// fail (within budget), or the gate's timeout passes. Returns the problems still open at the timeout.
    /// </summary>
    private async Task<List<string>> EvaluateGateAsync(PlanPhase phase, PlanGate gate, IReadOnlyCollection<string> failed, CancellationToken ct)
    {
        var nodes = GateJudge.JudgedNodes(phase, failed);
        var lastStepEnded = GateJudge.LastStepEnded(phase, StepsSnapshot());
        var giveUp = _context.Time.GetUtcNow() + gate.Timeout;
        var settling = new UnitSettling();
        while (true)
        {
            var problems = GateJudge.Problems(nodes, gate, _context.Registry.Get, lastStepEnded, _context.Options.GatesRequireFreshHealth, settling);
            if (problems.IsEmpty || _context.Time.GetUtcNow() >= giveUp)
            {
                return [.. problems];
            }

            await Task.Delay(_context.Options.GatePollInterval, _context.Time, ct).ConfigureAwait(false);
        }
    }
}
