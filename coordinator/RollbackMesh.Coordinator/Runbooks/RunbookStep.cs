using System.Collections.Immutable;

namespace RollbackMesh.Coordinator.Runbooks;

/// <summary>
/// One typed step: <see cref="Kind"/> is the field name of an <c>Action.kind</c> oneof case in
/// <c>rollbackmesh/v1/actions.proto</c> (for example <c>k3s_killall</c>), <see cref="Arguments"/> its fields.
/// </summary>
/// <param name="ForEach">When set, the step is repeated once per node of that selector (the target, referenced
/// as <c>${target.name}</c>) on the node that runs the phase: kubectl and helm steps run through one server.</param>
/// <param name="Only">When set, the step runs only on those of the phase's nodes that this selector also picks
/// (e.g. <c>servers</c> and <c>agents</c> variants of one step in an <c>all</c> phase).</param>
/// <param name="On">Preflight steps only: the nodes the check runs on.</param>
/// <param name="When">A condition <c>${param}</c> or <c>!${param}</c>; the step is planned only when it holds.</param>
/// <param name="Source">The documented step this implements (quoted from the procedure).</param>
internal sealed record RunbookStep(
    string Name,
    string Kind,
    ImmutableSortedDictionary<string, ArgumentValue> Arguments,
    TimeSpan? Timeout,
    bool Irreversible,
    bool RequiresApproval,
    NodeSelector? ForEach,
    NodeSelector? Only,
    NodeSelector? On,
    string? When,
    string Source,
    SourcePosition Position,
    SourcePosition KindPosition);
