using System.Collections.Immutable;

namespace RollbackMesh.Coordinator.Operators;

/// <summary>A runbook as ListRunbooks shows it.</summary>
internal sealed record RunbookSummary(
    string Name,
    string Version,
    string Procedure,
    string Description,
    ImmutableArray<RunbookParameterSummary> Parameters,
    ImmutableArray<string> Phases);

/// <summary>One typed runbook parameter as ListRunbooks shows it.</summary>
internal sealed record RunbookParameterSummary(string Name, string Type, bool Required, string DefaultValue, string Description);
