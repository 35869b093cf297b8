using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace RollbackMesh.Coordinator.Fleet;

/// <summary>What an agent says about itself when it connects (its Hello).</summary>
internal sealed record NodeIdentity(
    string Name,
    ImmutableArray<string> Roles,
    ImmutableSortedDictionary<string, string> Labels,
    string AgentVersion,
    ImmutableArray<string> Capabilities,
    ImmutableSortedDictionary<string, string> Facts)
{
    /// <summary>The cluster the node belongs to (agent.yaml cluster); empty for a node stored before clusters existed.</summary>
    [JsonIgnore] // stored in the nodes table's cluster column (CoordinatorStore.Nodes.cs)
    public string Cluster { get; init; } = "";
}
