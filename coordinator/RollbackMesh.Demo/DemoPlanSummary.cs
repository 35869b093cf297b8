using System.Text;
using RollbackMesh.V1;

namespace RollbackMesh.Demo;

/// <summary>A short view of a plan for the demo: preflight, then one line per phase with its waves and steps.</summary>
internal static class DemoPlanSummary
{
    public static string Render(PlanResponse plan)
    {
        var text = new StringBuilder();
        text.Append($"Plan {plan.Runbook}, hash {plan.Hash}\n");
        text.Append($"  parameters: {string.Join(", ", plan.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))}\n");
        text.Append(plan.PreflightOk ? "  preflight: ok\n" : "  preflight: PROBLEMS\n");
        foreach (var line in plan.Preflight)
        {
            text.Append($"    {line}\n");
        }

        for (var i = 0; i < plan.Phases.Count; i++)
        {
            var phase = plan.Phases[i];
            var steps = phase.Waves.SelectMany(w => w.Nodes).SelectMany(n => n.Steps).ToList();
            var names = string.Join(", ", steps.Select(s => s.Irreversible ? s.Name + " (IRREVERSIBLE)" : s.Name).Distinct(StringComparer.Ordinal));
            var waves = string.Join(" | ", phase.Waves.Select(w => string.Join(", ", w.Nodes.Select(n => n.Node))));
            text.Append($"  {i + 1}. {phase.Name,-16} {waves}\n");
            text.Append($"     {steps.Count} step(s): {names}{(phase.Gate.Length > 0 ? $"; gate: {phase.Gate}" : "")}\n");
        }

        return text.ToString();
    }
}
