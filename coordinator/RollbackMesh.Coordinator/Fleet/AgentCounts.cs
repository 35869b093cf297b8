namespace RollbackMesh.Coordinator.Fleet;

/// <summary>Agents of one role or cluster: every known one, those with an open stream, and those of these that went stale.</summary>
internal readonly record struct AgentCounts(int Known, int Connected, int Stale)
{
    public static AgentCounts operator +(AgentCounts a, AgentCounts b) =>
        new(a.Known + b.Known, a.Connected + b.Connected, a.Stale + b.Stale);
}
