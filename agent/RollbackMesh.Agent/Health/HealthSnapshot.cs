using RollbackMesh.V1;

namespace RollbackMesh.Agent.Health;

/// <summary>One health report, before it is mapped to the wire.</summary>
internal sealed record HealthSnapshot
{
    /// <summary>When the probes ran.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>The watched units' states.</summary>
    public IReadOnlyList<UnitStatus> Units { get; init; } = [];

    /// <summary>Component and package versions by name ("not-installed" for an absent package).</summary>
    public IReadOnlyDictionary<string, string> Versions { get; init; } = new Dictionary<string, string>();

    /// <summary>Free space of the data directories.</summary>
    public IReadOnlyList<DiskSpace> Disks { get; init; } = [];

    /// <summary>The K3s datastore in use on this node.</summary>
    public DatastoreKind Datastore { get; init; }

    /// <summary>The last step this agent ran, and its state.</summary>
    public StepSummary? LastStep { get; init; }

    /// <summary>Every probe that failed, in words; the report is healthy only when this is empty.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>
    /// True when the agent and every probe are fine. A watched unit that is stopped or failed does not make the node
    /// unhealthy: a rollback stops k3s on purpose and is often started because k3s is down. Unit state is judged only
    /// by the coordinator's unit_active gates; a unit whose state cannot be read is a problem, and so unhealthy.
    /// </summary>
    public bool Healthy => Problems.Count == 0;
}
