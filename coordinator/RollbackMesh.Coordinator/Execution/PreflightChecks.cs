using RollbackMesh.Coordinator.Fleet;

namespace RollbackMesh.Coordinator.Execution;

/// <summary>The registry side of preflight: what must hold for a node before a run may change anything on it.</summary>
internal static class PreflightChecks
{
    /// <summary>The Hello fact in which an agent names its quarantine directory.</summary>
    public const string QuarantinePathFact = "quarantine_path";

    /// <summary>The node's problem (null: none): unknown, disconnected, stale, unhealthy, or short of quarantine space.</summary>
    public static string? CheckNode(string node, NodeView? view, ExecutorOptions options)
    {
        var problem = view switch
        {
            null => $"{node}: unknown node (its agent never connected)",
            { Connected: false } => $"{node}: not connected",
            { Stale: true } => $"{node}: stale (no health report since {view.LastSeen:O})",
            { Health: null } => $"{node}: no health report yet",
            { Health.Healthy: false } => $"{node}: unhealthy: {string.Join("; ", view.Health.Problems)}",
            _ => null,
        };
        if (problem is not null)
        {
            return problem;
        }

        // The agent names its own quarantine (Hello fact); the configured path is the fallback for older agents.
        var quarantine = view!.Identity.Facts.TryGetValue(QuarantinePathFact, out var reported) && reported.Length > 0
            ? reported
            : options.QuarantinePath;
        var disk = view.Health!.DiskFor(quarantine);
        if (disk is null)
        {
            return $"{node}: reports no disk holding the quarantine {quarantine}";
        }

        return disk.FreeBytes < options.MinQuarantineFreeBytes
            ? $"{node}: {disk.FreeBytes} bytes free on {disk.Path} for the quarantine, below the minimum {options.MinQuarantineFreeBytes}"
            : null;
    }
}
