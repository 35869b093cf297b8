using System.Collections.Immutable;

namespace RollbackMesh.Coordinator.Planning;

/// <summary>What one planning pass works from: bound parameter values, the fleet, and the problems found so far.</summary>
internal sealed record PlanningContext(
    ImmutableSortedDictionary<string, string> Values,
    FleetView Fleet,
    List<string> Problems);
