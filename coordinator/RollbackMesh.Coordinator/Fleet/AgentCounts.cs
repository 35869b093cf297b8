namespace RollbackMesh.Coordinator.Fleet;

/// <summary>Agents of one role: every known one, those with an open stream, and those of these that went stale.</summary>
internal readonly record struct AgentCounts(int Known, int Connected, int Stale);
