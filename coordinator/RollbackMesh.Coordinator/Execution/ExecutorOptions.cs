namespace RollbackMesh.Coordinator.Execution;

/// <summary>Options of the run executor.</summary>
internal sealed class ExecutorOptions
{
    /// <summary>Where agents quarantine what a rollback "removes"; its disk is checked in preflight. Default /var/lib/rollbackmesh-agent/quarantine.</summary>
    public string QuarantinePath { get; set; } = "/var/lib/rollbackmesh-agent/quarantine";

    /// <summary>Free bytes the quarantine's disk must report on every targeted node. Default 1 GiB.</summary>
    public ulong MinQuarantineFreeBytes { get; set; } = 1UL << 30;

    /// <summary>
    /// How long the coordinator waits past a step's own timeout (which the agent enforces) before it records the step
    /// as timed out itself and cancels it. Default 10 s.
    /// </summary>
    public TimeSpan TimeoutGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a health gate re-reads the registry. Default 1 s.</summary>
    public TimeSpan GatePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Gates accept only health reports received after the phase's last step finished, so a report from before a
    /// restart cannot pass a gate. Default true.
    /// </summary>
    public bool GatesRequireFreshHealth { get; set; } = true;

    /// <summary>How long a step (or a resumed run's reconciliation) waits for its node to (re)connect. Default 2 min.</summary>
    public TimeSpan ReconnectTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a resumed run waits for a node's JournalReport. Default 30 s.</summary>
    public TimeSpan JournalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Preflight steps in flight at once. Default 100.</summary>
    public int PreflightConcurrency { get; set; } = 100;

    /// <summary>Nodes asked for a plan's dry run at once. Default 50.</summary>
    public int DryRunConcurrency { get; set; } = 50;

    /// <summary>How long a node has to answer the dry runs of all its plan steps. Default 30 s.</summary>
    public TimeSpan DryRunTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The name audit entries use for the coordinator's own actions. Default "coordinator".</summary>
    public string CoordinatorIdentity { get; set; } = "coordinator";
}
