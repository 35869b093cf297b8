using System.Collections.Immutable;

namespace RollbackMesh.Coordinator.Runbooks;

/// <summary>The checks that must hold after a phase, within <see cref="Timeout"/>, before the next phase starts.</summary>
internal sealed record RunbookGate(ImmutableArray<RunbookGateCheck> Checks, TimeSpan Timeout, SourcePosition Position);
