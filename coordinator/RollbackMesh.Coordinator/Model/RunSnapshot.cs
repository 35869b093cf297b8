using System.Collections.Immutable;

namespace RollbackMesh.Coordinator.Model;

/// <summary>A run and all of its steps (in plan order) at one moment.</summary>
internal sealed record RunSnapshot(RunRecord Run, ImmutableArray<StepRecord> Steps);
