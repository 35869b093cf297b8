using System.Globalization;

namespace RollbackMesh.Agent.Systemd;

/// <summary>The service watchdog systemd asked for through $WATCHDOG_USEC (and $WATCHDOG_PID).</summary>
internal static class WatchdogSettings
{
    /// <summary>
    /// How often to send WATCHDOG=1: half of WATCHDOG_USEC, as sd_watchdog_enabled(3) recommends; null when the
    /// watchdog is off or meant for another process.
    /// </summary>
    public static TimeSpan? PingInterval(string? watchdogUsec, string? watchdogPid, int currentPid)
    {
        if (!ulong.TryParse(watchdogUsec, NumberStyles.None, CultureInfo.InvariantCulture, out var usec) || usec == 0)
        {
            return null;
        }

        if (!string.IsNullOrEmpty(watchdogPid)
            && (!int.TryParse(watchdogPid, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid != currentPid))
        {
            return null;
        }

        return TimeSpan.FromMicroseconds(usec / 2.0);
    }

    /// <summary>The ping interval for this process from its environment.</summary>
    public static TimeSpan? FromEnvironment() => PingInterval(
        Environment.GetEnvironmentVariable("WATCHDOG_USEC"),
        Environment.GetEnvironmentVariable("WATCHDOG_PID"),
        Environment.ProcessId);
}
