using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace RollbackMesh.Agent.Systemd;

/// <summary>Log messages of the systemd integration (event ids 300-399).</summary>
internal static partial class SystemdLog
{
    [LoggerMessage(301, LogLevel.Information, "systemd watchdog enabled: pinging every {Interval}")]
    public static partial void WatchdogEnabled(ILogger logger, TimeSpan interval);

    [LoggerMessage(302, LogLevel.Warning, "Could not send '{State}' to systemd's notify socket ({Error})")]
    public static partial void NotifyFailed(ILogger logger, string state, SocketError error);
}
