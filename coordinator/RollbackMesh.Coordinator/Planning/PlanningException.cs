using System.Collections.Immutable;

namespace RollbackMesh.Coordinator.Planning;

/// <summary>
/// The runbook cannot be planned with these parameters on this fleet; <see cref="Problems"/> lists every reason,
/// each naming the parameter, role, node, phase or step concerned.
/// </summary>
internal sealed class PlanningException : Exception
{
    public PlanningException(string runbook, ImmutableArray<string> problems)
        : base($"cannot plan runbook '{runbook}': " + string.Join("; ", problems))
    {
        Runbook = runbook;
        Problems = problems;
    }

    public string Runbook { get; }

    public ImmutableArray<string> Problems { get; }
}
