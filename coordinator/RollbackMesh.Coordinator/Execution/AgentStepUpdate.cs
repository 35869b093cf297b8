using RollbackMesh.Coordinator.Model;
namespace RollbackMesh.Coordinator.Execution;

/// <summary>A step update from an agent; <see cref="Outcome"/> is set on a terminal state.</summary>
internal sealed record AgentStepUpdate(string RunId, string StepId, StepState State, string OutputChunk, StepOutcome? Outcome);
