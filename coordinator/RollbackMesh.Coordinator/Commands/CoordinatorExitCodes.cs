namespace RollbackMesh.Coordinator.Commands;

/// <summary>Exit codes of rollbackmesh-coordinator.</summary>
internal static class CoordinatorExitCodes
{
    /// <summary>Stopped cleanly (SIGTERM or Ctrl+C).</summary>
    public const int Success = 0;

    /// <summary>A fatal error while running (systemd restarts the service).</summary>
    public const int Failure = 1;

    /// <summary>Bad command line.</summary>
    public const int Usage = 2;

    /// <summary>Bad configuration: a missing runbook directory, unreadable TLS files (EX_CONFIG, so systemd does not loop on it).</summary>
    public const int Config = 78;
}
