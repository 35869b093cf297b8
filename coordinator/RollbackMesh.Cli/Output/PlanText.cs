using System.Text;
using RollbackMesh.V1;

namespace RollbackMesh.Cli.Output;

/// <summary>Renders a PlanResponse for review: parameters, preflight, then phases, waves, nodes, steps and dry runs.</summary>
internal static class PlanText
{
    public static string Render(PlanResponse plan)
    {
        var text = new StringBuilder();
        text.Append($"Plan for runbook {plan.Runbook}\nHash: {plan.Hash}\n");
        var cluster = plan.Cluster.Length > 0 ? plan.Cluster : "(none: the nodes name no cluster)";
        text.Append(plan.ClusterInferred
            ? $"Cluster: {cluster} (no --cluster given: every node of the fleet is in this one)\n"
            : $"Cluster: {cluster}\n");
        text.Append(plan.Parameters.Count == 0 ? "Parameters: none\n" : "Parameters:\n");
        foreach (var (name, value) in plan.Parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append($"  {name} = {(value.Length == 0 ? "(empty)" : value)}\n");
        }

        text.Append(plan.PreflightOk ? "Preflight: ok\n" : "Preflight: NOT OK (apply will refuse to start until these are fixed)\n");
        foreach (var line in plan.Preflight)
        {
            text.Append($"  {line}\n");
        }

        for (var i = 0; i < plan.Phases.Count; i++)
        {
            var phase = plan.Phases[i];
            var how = phase.MaxConcurrency <= 1 ? "serial" : $"at most {(phase.MaxConcurrency == int.MaxValue ? "all" : phase.MaxConcurrency)} at once";
            text.Append($"Phase {i + 1}: {phase.Name} [{phase.Selector}; {how}; failure budget {phase.FailureBudget}]\n");
            if (phase.Waves.Count == 0)
            {
                text.Append("  (no nodes: skipped)\n");
            }

            foreach (var wave in phase.Waves)
            {
                text.Append($"  Wave {wave.Index + 1}: {string.Join(", ", wave.Nodes.Select(n => n.Node))}\n");
                foreach (var node in wave.Nodes)
                {
                    text.Append($"    {node.Node}\n");
                    foreach (var step in node.Steps)
                    {
                        AppendStep(text, step);
                    }
                }
            }

            if (phase.Gate.Length > 0)
            {
                text.Append($"  Gate: {phase.Gate}\n");
            }
        }

        return text.ToString();
    }

    private static void AppendStep(StringBuilder text, PlannedStep step)
    {
        var flags = step.Irreversible ? " IRREVERSIBLE" : "";
        text.Append($"      - {step.Name} ({step.ActionKind}){flags}\n");
        text.Append($"          id {step.StepId}; implements: {step.Source}\n");
        text.Append($"          args {step.Arguments}\n");
        if (step.DryRun.Length > 0)
        {
            foreach (var line in step.DryRun.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'))
            {
                text.Append($"          | {line}\n");
            }
        }
    }
}
