using System.Collections.Immutable;
using RollbackMesh.Coordinator.Planning;

namespace RollbackMesh.Coordinator.Runbooks;

/// <summary>
/// One phase: the nodes it selects, how they go (serial, or parallel up to <see cref="MaxConcurrency"/> with
/// <see cref="FailureBudget"/> tolerated node failures), its steps, and the gate closing it.
/// </summary>
/// <param name="AllowEmpty">When false, planning fails if the selector matches no node.</param>
internal sealed record RunbookPhase(
    string Name,
    NodeSelector Selector,
    PhaseMode Mode,
    int MaxConcurrency,
    int FailureBudget,
    bool AllowEmpty,
    string? When,
    ImmutableArray<RunbookStep> Steps,
    RunbookGate? Gate,
    SourcePosition Position,
    SourcePosition SelectorPosition);
