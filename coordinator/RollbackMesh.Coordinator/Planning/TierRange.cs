namespace RollbackMesh.Coordinator.Planning;

/// <summary>An inclusive range of ranks on one ordering axis (see <see cref="RoleTiers"/>).</summary>
internal readonly record struct TierRange(int Min, int Max);
