using System.Collections.Immutable;

namespace RollbackMesh.Coordinator.Runbooks;

/// <summary>A loaded runbook (null when there are errors) and the problems found.</summary>
internal sealed record RunbookLoadResult(Runbook? Runbook, ImmutableArray<RunbookError> Errors)
{
    public bool Success => Runbook is not null;
}
