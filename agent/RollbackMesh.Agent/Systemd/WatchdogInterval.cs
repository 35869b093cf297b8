namespace RollbackMesh.Agent.Systemd;

/// <summary>The WATCHDOG=1 ping interval (null: no watchdog), a type of its own so it can be injected.</summary>
/// <param name="Value">Half of $WATCHDOG_USEC, or null.</param>
internal sealed record WatchdogInterval(TimeSpan? Value);
