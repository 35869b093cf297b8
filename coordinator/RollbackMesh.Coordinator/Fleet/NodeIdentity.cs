using System.Collections.Immutable;

namespace RollbackMesh.Coordinator.Fleet;

/// <summary>What an agent says about itself when it connects (its Hello).</summary>
internal sealed record NodeIdentity(
    string Name,
    ImmutableArray<string> Roles,
    ImmutableSortedDictionary<string, string> Labels,
    string AgentVersion,
    ImmutableArray<string> Capabilities,
    ImmutableSortedDictionary<string, string> Facts);
