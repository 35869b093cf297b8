using System.Text;
using RollbackMesh.Coordinator.Runbooks;

namespace RollbackMesh.Coordinator.Planning;

/// <summary>
/// Renders a plan for review, like <c>terraform plan</c>: parameters, preflight, then each phase with its waves,
/// nodes and steps (arguments, timeout, flags) and gate. <c>dryRun</c>, when given, supplies an agent's dry-run
/// text for a step (file diff, package transaction); it is indented under the step.
/// </summary>
internal static class PlanPrinter
{
    public static string Render(Plan plan, Func<PlanStep, string?>? dryRun = null)
    {
        var text = new StringBuilder();
        text.AppendLine($"Plan for runbook {plan.Runbook} v{plan.RunbookVersion} (procedure {plan.Procedure})");
        text.AppendLine($"Hash: {plan.Hash}");
        text.AppendLine("Parameters:");
        foreach (var (name, value) in plan.Parameters)
        {
            var shown = value.Length == 0 ? "(empty)" : plan.SecretParameters.Contains(name) ? Plan.SecretMask : IsSecret(name) ? "***" : value;
            text.AppendLine($"  {name} = {shown}");
        }

        text.AppendLine(plan.Preflight.IsEmpty ? "Preflight: none" : "Preflight:");
        foreach (var step in plan.Preflight)
        {
            Step(text, step, "  ", dryRun, withNode: true);
        }

        for (var i = 0; i < plan.Phases.Length; i++)
        {
            var phase = plan.Phases[i];
            var how = phase.Mode == PhaseMode.Serial
                ? "serial"
                : $"parallel, at most {(phase.MaxConcurrency == int.MaxValue ? "all" : phase.MaxConcurrency.ToString(System.Globalization.CultureInfo.InvariantCulture))} at once";
            text.AppendLine($"Phase {i + 1}: {phase.Name} [{phase.Selector}; {how}; failure budget {phase.FailureBudget}]");
            if (phase.Waves.IsEmpty)
            {
                text.AppendLine("  (no nodes: skipped)");
            }

            foreach (var wave in phase.Waves)
            {
                text.AppendLine($"  Wave {wave.Index + 1}: {string.Join(", ", wave.Nodes.Select(n => n.Node))}");
                foreach (var node in wave.Nodes)
                {
                    text.AppendLine($"    {node.Node}");
                    foreach (var step in node.Steps)
                    {
                        Step(text, step, "      ", dryRun, withNode: false);
                    }
                }
            }

            if (phase.Gate is { } gate)
            {
                var checks = gate.Checks.Select(c => c.Kind switch
                {
                    GateCheckKind.UnitActive => $"unit {c.Target} active{UnitSettling.Describe(c.Argument)}",
                    GateCheckKind.VersionMatches => $"{c.Target} version matches {c.Argument}",
                    _ => "nodes healthy",
                });
                text.AppendLine($"  Gate (within {Durations.Format(gate.Timeout)}): {string.Join("; ", checks)}");
            }
        }

        return plan.Redact(text.ToString());
    }

    private static bool IsSecret(string parameter) =>
        parameter.Contains("token", StringComparison.Ordinal) || parameter.Contains("password", StringComparison.Ordinal)
        || parameter.Contains("secret", StringComparison.Ordinal);

    private static void Step(StringBuilder text, PlanStep step, string indent, Func<PlanStep, string?>? dryRun, bool withNode)
    {
        var flags = (step.Irreversible ? " IRREVERSIBLE" : "") + (step.RequiresApproval ? " APPROVAL REQUIRED" : "");
        var node = withNode ? $"{step.Node}: " : "";
        text.AppendLine($"{indent}- {node}{step.Name}: {ActionText.Describe(step.Action)} (timeout {Durations.Format(step.Timeout)}){flags}");
        text.AppendLine($"{indent}    id {step.StepId}; implements: {step.Source}");
        if (dryRun?.Invoke(step) is { Length: > 0 } preview)
        {
            foreach (var line in preview.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'))
            {
                text.AppendLine($"{indent}    | {line}");
            }
        }
    }
}
