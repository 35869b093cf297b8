namespace RollbackMesh.Agent.Hosting;

/// <summary>Process exit codes (sysexits.h values where one fits), so `systemctl status` says what went wrong.</summary>
internal static class AgentExitCodes
{
    /// <summary>Clean stop (SIGTERM).</summary>
    public const int Success = 0;

    /// <summary>
    /// The coordinator refused this node for good (removed, revoked certificate, another node's identity, untrusted CA,
    /// refused join token). The systemd unit lists it in RestartPreventExitStatus=: restarting cannot change the answer.
    /// </summary>
    public const int Refused = 1;

    /// <summary>Any other fatal error while running (EX_SOFTWARE); systemd's Restart=on-failure brings the agent back.</summary>
    public const int Failure = 70;

    /// <summary>Bad command line (EX_USAGE).</summary>
    public const int Usage = 64;

    /// <summary>Invalid configuration (EX_CONFIG).</summary>
    public const int Config = 78;
}
