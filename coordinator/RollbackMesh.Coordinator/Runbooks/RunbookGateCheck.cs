using RollbackMesh.Coordinator.Planning;

namespace RollbackMesh.Coordinator.Runbooks;

/// <summary>One gate check as written; <see cref="Target"/> and <see cref="Argument"/> may hold <c>${param}</c>.</summary>
internal sealed record RunbookGateCheck(GateCheckKind Kind, string Target, string Argument, SourcePosition Position);
