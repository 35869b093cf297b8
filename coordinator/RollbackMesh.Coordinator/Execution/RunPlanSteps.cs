using RollbackMesh.Coordinator.Planning;

namespace RollbackMesh.Coordinator.Execution;

/// <summary>The steps of a plan's phase, in plan order (wave by wave, each node's steps in order).</summary>
internal static class RunPlanSteps
{
    public static IEnumerable<PlanStep> Of(PlanPhase phase) =>
        phase.Waves.SelectMany(w => w.Nodes).SelectMany(n => n.Steps);
}
