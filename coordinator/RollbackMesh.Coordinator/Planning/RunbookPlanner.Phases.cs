using System.Collections.Immutable;
using RollbackMesh.Coordinator.Runbooks;

namespace RollbackMesh.Coordinator.Planning;

internal sealed partial class RunbookPlanner
{
    private static PlanPhase PlanPhase(RunbookPhase phase, PlanningContext context)
    {
        var nodes = context.Fleet.Select(phase.Selector, context.Problems);
        if (nodes.IsEmpty && !phase.AllowEmpty && !context.Fleet.FirstServerUnknown(phase.Selector))
        {
            context.Problems.Add($"phase '{phase.Name}' selects '{NodeSelectors.Format(phase.Selector)}' but the fleet has no such node");
        }

        var waves = ImmutableArray.CreateBuilder<PlanWave>();
        foreach (var group in SplitIntoWaves(nodes, phase.MaxConcurrency, context.Fleet))
        {
            var planned = group.Select(node => new PlanNodeSteps(node.Name, [.. PlanNodeSteps(phase, node, context)]));
            waves.Add(new PlanWave(waves.Count, [.. planned]));
        }

        PlanGate? gate = phase.Gate is { } g
            ? new PlanGate([.. g.Checks.Select(c => new GateCheck(c.Kind, ResolveGate(c.Target, phase, context), ResolveGate(c.Argument, phase, context)))], g.Timeout)
            : null;
        return new PlanPhase(phase.Name, NodeSelectors.Format(phase.Selector), phase.Mode, phase.MaxConcurrency, phase.FailureBudget, waves.ToImmutable(), gate);
    }

    /// <summary>
    /// Waves never mix tiers: the first server is always alone in its own wave, other servers come before
    /// agents, control before compute; within a tier, waves hold at most <paramref name="maxConcurrency"/> nodes.
    /// </summary>
    private static IEnumerable<List<PlanningNode>> SplitIntoWaves(ImmutableArray<PlanningNode> nodes, int maxConcurrency, FleetView fleet)
    {
        var wave = new List<PlanningNode>();
        (int?, int?) tier = default;
        foreach (var node in nodes)
        {
            var nodeTier = (fleet.K3sRank(node), FleetView.OpenStackRank(node));
            var mustBreak = wave.Count > 0 && (wave.Count >= maxConcurrency || nodeTier != tier || nodeTier.Item1 == RoleTiers.FirstServer);
            if (mustBreak)
            {
                yield return wave;
                wave = [];
            }

            wave.Add(node);
            tier = nodeTier;
        }

        if (wave.Count > 0)
        {
            yield return wave;
        }
    }

    /// <summary>
    /// A run of consecutive steps with the same <c>for_each</c> repeats as a group, target by target: cordon,
    /// delete pod, uncordon for the first target, then the same three for the next (one node at a time).
    /// </summary>
    private static IEnumerable<PlanStep> PlanNodeSteps(RunbookPhase phase, PlanningNode node, PlanningContext context)
    {
        var steps = phase.Steps
            .Where(s => IsEnabled(s.When, context.Values))
            .Where(s => s.Only is not { } only || context.Fleet.Select(only, context.Problems).Contains(node))
            .ToList();
        for (var i = 0; i < steps.Count;)
        {
            if (steps[i].ForEach is not { } forEach)
            {
                yield return CreateStep(steps[i++], phase.Name, node, target: null, context);
                continue;
            }

            var group = steps.Skip(i).TakeWhile(s => s.ForEach == forEach).ToList();
            i += group.Count;
            foreach (var target in context.Fleet.Select(forEach, context.Problems))
            {
                foreach (var step in group)
                {
                    yield return CreateStep(step, phase.Name, node, target, context);
                }
            }
        }
    }

    private static PlanStep CreateStep(RunbookStep step, string phase, PlanningNode node, PlanningNode? target, PlanningContext context)
    {
        var name = target is null ? step.Name : $"{step.Name}@{target.Name}";
        var where = $"step '{name}' of phase '{phase}' on node '{node.Name}'";
        var action = ActionBuilder.Build(step, reference => Lookup(reference, node, target, context), where, context.Problems);
        return new PlanStep(
            $"{phase}/{node.Name}/{name}",
            phase,
            node.Name,
            name,
            action,
            step.Timeout ?? DefaultStepTimeout,
            step.Irreversible,
            step.RequiresApproval,
            step.Source);
    }

    private static string ResolveGate(string text, RunbookPhase phase, PlanningContext context) =>
        ActionBuilder.Resolve(text, reference => Lookup(reference, node: null, target: null, context), $"the gate of phase '{phase.Name}'", context.Problems);

    private static string? Lookup(string reference, PlanningNode? node, PlanningNode? target, PlanningContext context)
    {
        var (name, escape) = ParameterReferences.StripFilter(reference);
        var value = LookupRaw(name, node, target, context);
        return escape && value is not null ? System.Text.RegularExpressions.Regex.Escape(value) : value;
    }

    private static string? LookupRaw(string reference, PlanningNode? node, PlanningNode? target, PlanningContext context)
    {
        if (context.Values.TryGetValue(reference, out var value))
        {
            return value;
        }

        if (reference == "first_server.name")
        {
            context.Fleet.ReportFirstServerProblem(context.Problems);
            return context.Fleet.FirstServer?.Name;
        }

        if (reference == ReferenceScope.FleetNamesReference)
        {
            return context.Fleet.AllNames;
        }

        var (subject, fact) = reference.IndexOf('.') is var dot and > 0 ? (reference[..dot], reference[(dot + 1)..]) : (reference, "");
        var about = subject switch { "node" => node, "target" => target, _ => null };
        return about is null ? null
            : fact == "name" ? about.Name
            : fact.StartsWith("labels.", StringComparison.Ordinal) ? about.Labels.GetValueOrDefault(fact["labels.".Length..])
            : null;
    }
}
