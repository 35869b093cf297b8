using RollbackMesh.Coordinator.Runbooks;

namespace RollbackMesh.Coordinator.Planning;

/// <summary>
/// The documented orderings, checked on the compiled plan against the real fleet, whatever order the YAML used:
/// within a phase the first server is alone in its wave and goes before the other servers, servers before
/// agents and control before compute; across phases no state change on a later tier precedes one on an
/// earlier tier (agents before the first server, compute before control). Read-only steps do not count. Drains
/// follow `kubectl drain N1 N2 N3`, which cordons every node before evicting from any: see <see cref="CheckDrains"/>.
/// </summary>
internal static class PlanInvariants
{
    public static IEnumerable<string> Check(Plan plan, FleetView fleet)
    {
        var problems = new List<string>();
        foreach (var phase in plan.Phases)
        {
            CheckWaves(phase, fleet, problems);
        }

        var changing = plan.Phases
            .Select(p => (Phase: p, Nodes: p.Waves.SelectMany(w => w.Nodes)
                .Where(n => n.Steps.Any(s => !ActionKinds.IsReadOnly(KindName(s))))
                .Select(n => fleet.Find(n.Node)!).ToList()))
            .Where(p => p.Nodes.Count > 0)
            .ToList();
        for (var i = 0; i < changing.Count; i++)
        {
            for (var j = i + 1; j < changing.Count; j++)
            {
                CheckPair(changing[i], changing[j], fleet.K3sRank, "the first server before other servers before agents", problems);
                CheckPair(changing[i], changing[j], FleetView.OpenStackRank, "control nodes before compute nodes", problems);
            }
        }

        CheckDrains(plan, problems);
        return problems;
    }

    /// <summary>
    /// A node drained while an earlier drained node is still cordoned must have been cordoned before that earlier
    /// eviction, else pods evicted from the first land on it and are evicted again. Uncordoning the earlier node ends
    /// its span, which keeps rolling procedures (drain, work, uncordon, next node) valid. The kubectl steps of the
    /// built-ins run on one node, so plan order is their execution order.
    /// </summary>
    private static void CheckDrains(Plan plan, List<string> problems)
    {
        var cordoned = new HashSet<string>(StringComparer.Ordinal);
        var cordonedAtDrain = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var step in plan.AllSteps.Where(s => s.Action.KindCase == V1.Action.KindOneofCase.KubectlNode))
        {
            var node = step.Action.KubectlNode.Node;
            switch (step.Action.KubectlNode.Operation)
            {
                case V1.KubectlNodeOperation.Uncordon:
                    cordoned.Remove(node);
                    cordonedAtDrain.Remove(node);
                    break;
                case V1.KubectlNodeOperation.Drain:
                    var early = cordonedAtDrain.Where(d => d.Key != node && !d.Value.Contains(node)).Select(d => d.Key).Order(StringComparer.Ordinal).ToList();
                    if (early.Count > 0)
                    {
                        problems.Add($"step {step.StepId} drains {node}, which was still schedulable when {string.Join(", ", early)} was drained: "
                            + "cordon every node to drain before the first drain, as kubectl drain N1 N2 ... does");
                    }

                    cordoned.Add(node);
                    cordonedAtDrain[node] = [.. cordoned];
                    break;
                default:
                    cordoned.Add(node);
                    break;
            }
        }
    }

    private static void CheckWaves(PlanPhase phase, FleetView fleet, List<string> problems)
    {
        int? previousK3s = null;
        int? previousOpenStack = null;
        foreach (var wave in phase.Waves)
        {
            var nodes = wave.Nodes.Select(n => fleet.Find(n.Node)!).ToList();
            var k3s = nodes.Select(fleet.K3sRank).OfType<int>().Distinct().ToList();
            var openStack = nodes.Select(FleetView.OpenStackRank).OfType<int>().Distinct().ToList();
            if (k3s.Count > 1 || openStack.Count > 1)
            {
                problems.Add($"phase '{phase.Name}' wave {wave.Index} mixes tiers ({string.Join(", ", wave.Nodes.Select(n => n.Node))})");
            }

            if (k3s.Contains(RoleTiers.FirstServer) && nodes.Count > 1)
            {
                problems.Add($"phase '{phase.Name}' wave {wave.Index}: the first server must be alone in its wave");
            }

            if (k3s.Count > 0 && previousK3s > k3s.Min() || openStack.Count > 0 && previousOpenStack > openStack.Min())
            {
                problems.Add($"phase '{phase.Name}' wave {wave.Index} goes before an earlier tier");
            }

            previousK3s = k3s.Count > 0 ? k3s.Max() : previousK3s;
            previousOpenStack = openStack.Count > 0 ? openStack.Max() : previousOpenStack;
        }
    }

    private static void CheckPair(
        (PlanPhase Phase, List<PlanningNode> Nodes) earlier,
        (PlanPhase Phase, List<PlanningNode> Nodes) later,
        Func<PlanningNode, int?> rank,
        string rule,
        List<string> problems)
    {
        var earlierRanks = earlier.Nodes.Select(rank).OfType<int>().ToList();
        var laterRanks = later.Nodes.Select(rank).OfType<int>().ToList();
        if (earlierRanks.Count > 0 && laterRanks.Count > 0 && earlierRanks.Min() > laterRanks.Max())
        {
            problems.Add($"phase '{earlier.Phase.Name}' changes {string.Join(", ", earlier.Nodes.Select(n => n.Name))} before phase '{later.Phase.Name}' changes {string.Join(", ", later.Nodes.Select(n => n.Name))}: the documented order is {rule}");
        }
    }

    /// <summary>The oneof field name of a step's action, e.g. <c>k3s_killall</c>.</summary>
    public static string KindName(PlanStep step) => ActionText.KindName(step.Action);
}
