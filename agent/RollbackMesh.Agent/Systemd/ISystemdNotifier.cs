namespace RollbackMesh.Agent.Systemd;

/// <summary>Sends sd_notify state lines (READY=1, STATUS=..., WATCHDOG=1, STOPPING=1) to the service manager.</summary>
internal interface ISystemdNotifier
{
    /// <summary>True when the process was started with $NOTIFY_SOCKET.</summary>
    bool IsEnabled { get; }

    /// <summary>Sends <paramref name="state"/> (one or more newline-separated assignments); false if not sent.</summary>
    bool Notify(string state);
}
