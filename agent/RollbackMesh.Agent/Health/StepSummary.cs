using RollbackMesh.V1;

namespace RollbackMesh.Agent.Health;

/// <summary>The most recent step the agent worked on.</summary>
/// <param name="RunId">The run.</param>
/// <param name="StepId">The step.</param>
/// <param name="State">Its latest state.</param>
internal sealed record StepSummary(string RunId, string StepId, StepState State);
