using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Runbooks;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Planning;

/// <summary>The documented orderings, checked independently of the planner's own invariant code.</summary>
internal static class PlanAssert
{
    /// <summary>Position of every step in execution order: (phase index, wave index).</summary>
    private static IEnumerable<(int Phase, int Wave, PlanNodeSteps Node)> Order(Plan plan) =>
        plan.Phases.SelectMany((p, pi) => p.Waves.SelectMany(w => w.Nodes.Select(n => (pi, w.Index, n))));

    private static bool Changes(PlanNodeSteps node) =>
        node.Steps.Any(s => !ActionKinds.IsReadOnly(ActionText.KindName(s.Action)));

    /// <summary>
    /// As `kubectl drain N1 N2 N3` does (it cordons every named node, then evicts): a node drained while an earlier
    /// drained node is still cordoned was itself cordoned before that earlier eviction, so pods evicted from one node
    /// never land on a node drained next. An uncordon of the earlier node ends its span (a rolling, node-by-node
    /// procedure). kubectl steps run on one node, so plan order is execution order.
    /// </summary>
    public static void CordonEveryDrainedNodeBeforeEvicting(Plan plan)
    {
        var cordoned = new HashSet<string>(StringComparer.Ordinal);
        var cordonedAtDrain = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var step in plan.AllSteps.Where(s => ActionText.KindName(s.Action) == "kubectl_node"))
        {
            var node = step.Action.KubectlNode.Node;
            switch (step.Action.KubectlNode.Operation)
            {
                case RollbackMesh.V1.KubectlNodeOperation.Uncordon:
                    cordoned.Remove(node);
                    cordonedAtDrain.Remove(node);
                    break;
                case RollbackMesh.V1.KubectlNodeOperation.Drain:
                    foreach (var (earlier, wasCordoned) in cordonedAtDrain.Where(d => d.Key != node))
                    {
                        Assert.True(wasCordoned.Contains(node),
                            $"{plan.Runbook}: {step.StepId} drains {node}, which was still schedulable when {earlier} was drained");
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

    public static void FirstServerAloneAndFirst(Plan plan, string firstServer, IReadOnlySet<string> otherServers)
    {
        foreach (var phase in plan.Phases)
        {
            foreach (var wave in phase.Waves.Where(w => w.Nodes.Any(n => n.Node == firstServer)))
            {
                Assert.True(wave.Nodes.Length == 1, $"phase {phase.Name} wave {wave.Index} holds the first server with others");
                Assert.DoesNotContain(phase.Waves.Take(wave.Index), w => w.Nodes.Any(n => otherServers.Contains(n.Node)));
            }
        }

        var order = Order(plan).Where(o => Changes(o.Node)).ToList();
        var firstChange = order.FirstOrDefault(o => o.Node.Node == firstServer);
        foreach (var other in order.Where(o => otherServers.Contains(o.Node.Node)))
        {
            Assert.True((other.Phase, other.Wave).CompareTo((firstChange.Phase, firstChange.Wave)) > 0,
                $"{other.Node.Node} changes (phase {other.Phase}, wave {other.Wave}) before the first server");
        }
    }

    /// <summary>Within every phase, no wave of <paramref name="later"/> nodes precedes or shares a wave with <paramref name="earlier"/> nodes.</summary>
    public static void TierBeforeTierInEveryPhase(Plan plan, Func<string, bool> earlier, Func<string, bool> later)
    {
        foreach (var phase in plan.Phases)
        {
            var lastEarlier = phase.Waves.LastOrDefault(w => w.Nodes.Any(n => earlier(n.Node)))?.Index ?? -1;
            var firstLater = phase.Waves.FirstOrDefault(w => w.Nodes.Any(n => later(n.Node)))?.Index ?? int.MaxValue;
            Assert.True(lastEarlier < firstLater, $"phase {phase.Name}: wave {firstLater} of later-tier nodes is not after wave {lastEarlier}");
        }
    }
}
