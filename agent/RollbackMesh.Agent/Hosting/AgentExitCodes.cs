namespace RollbackMesh.Agent.Hosting;

/// <summary>Process exit codes (sysexits.h values where one fits), so `systemctl status` says what went wrong.</summary>
internal static class AgentExitCodes
{
    /// <summary>Clean stop (SIGTERM).</summary>
    public const int Success = 0;

    /// <summary>A fatal error while running.</summary>
    public const int Failure = 1;

    /// <summary>Bad command line (EX_USAGE).</summary>
    public const int Usage = 64;

    /// <summary>Invalid configuration (EX_CONFIG).</summary>
    public const int Config = 78;
}
