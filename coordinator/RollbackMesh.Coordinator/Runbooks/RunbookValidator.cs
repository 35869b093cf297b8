using RollbackMesh.Coordinator.Planning;

namespace RollbackMesh.Coordinator.Runbooks;

/// <summary>
/// Semantic checks of a read runbook, all reported at once with positions: names, parameters and their defaults,
/// step kinds and arguments (<see cref="RunbookValidator.Arguments"/>), <c>${...}</c> references, duplicates, and
/// the documented phase order (first server, then other servers, then agents; control before compute).
/// </summary>
internal static partial class RunbookValidator
{
    public static void Validate(Runbook runbook, RunbookErrorSink errors)
    {
        if (runbook.Name.Length > 0 && NameRules.Problem(runbook.Name, allowUnderscore: false) is { } nameProblem)
        {
            errors.Add(new SourcePosition(1, 1), $"runbook name '{runbook.Name}' {nameProblem}");
        }

        ValidateParameters(runbook, errors);
        if (runbook.Phases.IsEmpty)
        {
            errors.Add(new SourcePosition(1, 1), "a runbook needs at least one phase");
        }

        var scope = new ReferenceScope(runbook);
        ValidateSteps(runbook.Preflight, "preflight", scope, errors, preflight: true);
        foreach (var duplicate in runbook.Phases.GroupBy(p => p.Name).Where(g => g.Count() > 1).SelectMany(g => g.Skip(1)))
        {
            errors.Add(duplicate.Position, $"duplicate phase name '{duplicate.Name}'");
        }

        foreach (var phase in runbook.Phases)
        {
            if (phase.Steps.IsEmpty)
            {
                errors.Add(phase.Position, $"phase '{phase.Name}' has no steps");
            }

            scope.CheckCondition(phase.When, phase.Position, $"phase '{phase.Name}'", errors);
            ValidateSteps(phase.Steps, $"phase '{phase.Name}'", scope, errors, preflight: false);
            foreach (var check in phase.Gate?.Checks ?? [])
            {
                scope.CheckTexts([check.Target, check.Argument], check.Position, $"a gate check of phase '{phase.Name}'", allowNode: false, allowTarget: false, errors);
            }
        }

        ValidatePhaseOrder(runbook, errors);
    }

    private static void ValidateSteps(IEnumerable<RunbookStep> steps, string context, ReferenceScope scope, RunbookErrorSink errors, bool preflight)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var step in steps)
        {
            var stepContext = $"step '{step.Name}' of {context}";
            if (step.Name.Length > 0 && !seen.Add(step.Name))
            {
                errors.Add(step.Position, $"duplicate step name '{step.Name}' in {context}");
            }

            if (step.Name.Length > 0 && NameRules.Problem(step.Name, allowUnderscore: true) is { } stepProblem)
            {
                errors.Add(step.Position, $"step name '{step.Name}' {stepProblem} (it is part of the step id)");
            }

            if (step.Irreversible && !step.RequiresApproval)
            {
                errors.Add(step.Position, $"{stepContext} is irreversible, so it must say 'approval: required'");
            }

            if (preflight && step.Kind.Length > 0 && ActionKinds.TryGet(step.Kind, out _) && !ActionKinds.IsReadOnly(step.Kind))
            {
                errors.Add(step.KindPosition, $"preflight {stepContext} uses '{step.Kind}', which changes state; preflight may only use {string.Join(", ", ActionKinds.Names.Where(ActionKinds.IsReadOnly))}");
            }

            scope.CheckCondition(step.When, step.Position, stepContext, errors);
            Arguments(step, stepContext, errors);
            foreach (var (name, value) in step.Arguments)
            {
                scope.CheckTexts(value.Texts, value.Position, $"argument '{name}' of {stepContext}", allowNode: true, allowTarget: step.ForEach is not null, errors);
            }
        }
    }

    private static void ValidatePhaseOrder(Runbook runbook, RunbookErrorSink errors)
    {
        var changing = runbook.Phases.Where(p => p.Steps.Any(s => !ActionKinds.IsReadOnly(s.Kind))).ToList();
        for (var i = 0; i < changing.Count; i++)
        {
            for (var j = i + 1; j < changing.Count; j++)
            {
                var (earlier, later) = (changing[i], changing[j]);
                var k3s = RoleTiers.Violates(RoleTiers.K3s(earlier.Selector), RoleTiers.K3s(later.Selector));
                var openStack = RoleTiers.Violates(RoleTiers.OpenStack(earlier.Selector), RoleTiers.OpenStack(later.Selector));
                if (k3s || openStack)
                {
                    var rule = openStack
                        ? RoleTiers.RuleText(true, RoleTiers.OpenStack(earlier.Selector)!.Value, RoleTiers.OpenStack(later.Selector)!.Value)
                        : RoleTiers.RuleText(false, RoleTiers.K3s(earlier.Selector)!.Value, RoleTiers.K3s(later.Selector)!.Value);
                    errors.Add(later.SelectorPosition,
                        $"phase '{later.Name}' ({NodeSelectors.Format(later.Selector)}) comes after phase '{earlier.Name}' ({NodeSelectors.Format(earlier.Selector)}), which changes state: {rule}");
                }
            }
        }
    }
}
