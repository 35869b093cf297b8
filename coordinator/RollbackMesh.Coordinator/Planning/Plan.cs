using System.Collections.Immutable;
using RollbackMesh.V1;

namespace RollbackMesh.Coordinator.Planning;

/// <summary>
/// A runbook compiled against parameters and the current fleet: every (phase, wave, node, step) in order, with
/// resolved arguments. <see cref="Preflight"/> holds read-only checks run on agents before anything changes
/// (snapshot trial restore, package versions available, tools present). <see cref="Hash"/> covers all of it, so `apply` can insist on running what was reviewed.
/// Every node of a plan is in <see cref="Cluster"/>: a plan covers exactly one cluster.
/// </summary>
internal sealed record Plan(
    string Runbook,
    string RunbookVersion,
    string Procedure,
    ImmutableSortedDictionary<string, string> Parameters,
    ImmutableArray<PlanStep> Preflight,
    ImmutableArray<PlanPhase> Phases,
    string Hash)
{
    /// <summary>The one cluster the plan covers (agent.yaml <c>cluster</c>); empty when its nodes name none.</summary>
    public string Cluster { get; init; } = "";

    /// <summary>The parameters declared <c>secret: true</c>; their values are shown only through <see cref="Redact"/>.</summary>
    public ImmutableArray<string> SecretParameters { get; init; } = [];

    /// <summary>The non-empty values of <see cref="SecretParameters"/>, longest first (so no shorter one cuts into a longer one).</summary>
    public IEnumerable<string> SecretValues =>
        SecretParameters.Select(n => Parameters.GetValueOrDefault(n, "")).Where(v => v.Length > 0).OrderByDescending(v => v.Length);

    /// <summary>Replaces every secret parameter value in <paramref name="text"/> with <see cref="SecretMask"/>.</summary>
    public string Redact(string text) =>
        SecretValues.Aggregate(text, (current, secret) => current.Replace(secret, SecretMask, StringComparison.Ordinal));

    /// <summary>What a secret value is shown as.</summary>
    public const string SecretMask = "(secret)";

    /// <summary>Every step of the plan in execution order.</summary>
    public IEnumerable<PlanStep> AllSteps =>
        Phases.SelectMany(p => p.Waves).SelectMany(w => w.Nodes).SelectMany(n => n.Steps);
}

/// <summary>How nodes of a phase go: one at a time, or in parallel up to a limit.</summary>
internal enum PhaseMode
{
    Serial,
    Parallel,
}

/// <summary>
/// One phase: the nodes it selected (by role), split into waves of at most <see cref="MaxConcurrency"/> nodes,
/// how many node failures it tolerates before stopping, and the gate that must hold before the next phase.
/// </summary>
internal sealed record PlanPhase(
    string Name,
    string Selector,
    PhaseMode Mode,
    int MaxConcurrency,
    int FailureBudget,
    ImmutableArray<PlanWave> Waves,
    PlanGate? Gate);

internal sealed record PlanWave(int Index, ImmutableArray<PlanNodeSteps> Nodes);

/// <summary>The steps one node runs in a phase, in order.</summary>
internal sealed record PlanNodeSteps(string Node, ImmutableArray<PlanStep> Steps);

/// <summary>
/// One typed step for one node. <see cref="StepId"/> is stable for a given plan (phase/node/step name), so a
/// resent step is recognised by the agent's journal.
/// </summary>
internal sealed record PlanStep(
    string StepId,
    string Phase,
    string Node,
    string Name,
    V1.Action Action,
    TimeSpan Timeout,
    bool Irreversible,
    bool RequiresApproval,
    string Source);

/// <summary>Checks that must all hold, within <see cref="Timeout"/>, before the next phase starts.</summary>
internal sealed record PlanGate(ImmutableArray<GateCheck> Checks, TimeSpan Timeout);

internal enum GateCheckKind
{
    /// <summary>Every node of the phase is connected and its last health report is healthy.</summary>
    NodesHealthy,
    /// <summary>
    /// A systemd unit is active on every node of the phase; with an <see cref="GateCheck.Argument"/> (a settle time,
    /// <see cref="UnitSettling"/>) it must also have stayed active, not restarted by systemd, for that long.
    /// </summary>
    UnitActive,
    /// <summary>A component's reported version matches <see cref="GateCheck.Argument"/> (a regular expression) in full.</summary>
    VersionMatches,
}

/// <summary>One gate check; <see cref="Target"/> is the unit or component, <see cref="Argument"/> its expected value.</summary>
internal sealed record GateCheck(GateCheckKind Kind, string Target, string Argument);
