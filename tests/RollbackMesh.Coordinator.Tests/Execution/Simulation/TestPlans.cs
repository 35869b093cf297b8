using System.Collections.Immutable;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.V1;

namespace RollbackMesh.Coordinator.Tests.Execution.Simulation;

/// <summary>Hand-built plans (no runbook): step ids are phase/node/step, every action a NoOp.</summary>
internal static class TestPlans
{
    public static Plan Create(ImmutableArray<PlanStep> preflight, params PlanPhase[] phases) => new(
        "test", "1", "none.md", ImmutableSortedDictionary<string, string>.Empty, preflight, [.. phases], "hash-" + Guid.NewGuid().ToString("N")[..8]);

    public static Plan Create(params PlanPhase[] phases) => Create([], phases);

    /// <summary>A phase over <paramref name="nodes"/> split into waves of <paramref name="concurrency"/>, each node running <paramref name="steps"/>.</summary>
    public static PlanPhase Phase(
        string name,
        string[] nodes,
        string[] steps,
        int concurrency = 10,
        int failureBudget = 0,
        PlanGate? gate = null,
        TimeSpan? timeout = null,
        Func<string, bool>? requiresApproval = null)
    {
        var waves = nodes.Chunk(concurrency).Select((chunk, i) => new PlanWave(i, [.. chunk.Select(node =>
            new PlanNodeSteps(node, [.. steps.Select(step => Step(name, node, step, timeout, requiresApproval?.Invoke(step) ?? false))]))]));
        return new PlanPhase(name, "all", concurrency == 1 ? PhaseMode.Serial : PhaseMode.Parallel, concurrency, failureBudget, [.. waves], gate);
    }

    public static PlanStep Step(string phase, string node, string name, TimeSpan? timeout = null, bool requiresApproval = false) => new(
        $"{phase}/{node}/{name}", phase, node, name, new V1.Action { NoOp = new NoOp() }, timeout ?? TimeSpan.FromSeconds(30),
        Irreversible: false, requiresApproval, Source: "test");

    public static string[] Nodes(string prefix, int count) => [.. Enumerable.Range(1, count).Select(i => $"{prefix}{i}")];
}
