using System.Diagnostics;
using RollbackMesh.Agent.Systemd;
using RollbackMesh.Agent.Tests.Testbeds;

namespace RollbackMesh.Agent.Tests.Systemd;

/// <summary>
/// The built agent as a real Type=notify unit of a systemd 252 user manager (<see cref="SystemdTestUnits.AgentUnit"/>):
/// its start job finishes only on READY=1, StatusText is the agent's last STATUS=, and a 2 s watchdog that never fires
/// proves the WATCHDOG=1 pings. No coordinator answers, so the agent keeps reconnecting and stays up.
/// </summary>
public sealed class SystemdNotifyUnitTests(SystemdUserFixture systemd) : IClassFixture<SystemdUserFixture>
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AgentUnit_TypeNotifyWithWatchdog_ReadyStatusPingsAndCleanStop()
    {
        var work = systemd.WorkDirectory;
        await File.WriteAllTextAsync(Path.Combine(work, SystemdTestUnits.AgentConfigFile), $"""
            nodeName: notify-test
            roles: [agent]
            cluster: test
            coordinator:
              address: http://127.0.0.1:1
              insecure: true
            journalPath: {work}/journal.db
            quarantinePath: {work}/quarantine
            systemBusAddress: {systemd.BusAddress}
            """);
        using var manager = await systemd.ConnectAsync();
        var unit = SystemdTestUnits.AgentUnit;

        var start = await manager.StartUnitAsync(unit, JobTimeout, Cancel());

        Assert.True(start.Result == JobResult.Done, $"start job {start.Result}\n{Log()}");
        Assert.Equal(("active", "running"), await StateAsync(manager, unit));
        var path = await manager.LoadUnitAsync(unit, Cancel());
        var status = await WaitForStatusAsync(manager, path, s => s.StartsWith("Connecting to http://127.0.0.1:1", StringComparison.Ordinal)
            || s.StartsWith("Disconnected: ", StringComparison.Ordinal));
        Assert.NotEmpty(status);

        var firstPing = await ServicePropertyAsync(manager, path, "WatchdogTimestampMonotonic", static v => v.GetUInt64());
        await Task.Delay(TimeSpan.FromSeconds(5)); // two and a half watchdog periods
        Assert.True(await ServicePropertyAsync(manager, path, "WatchdogTimestampMonotonic", static v => v.GetUInt64()) > firstPing);
        Assert.Equal(0u, await ServicePropertyAsync(manager, path, "NRestarts", static v => v.GetUInt32()));
        Assert.Equal(("active", "running"), await StateAsync(manager, unit));

        var stop = await manager.StopUnitAsync(unit, JobTimeout, Cancel());

        Assert.Equal(JobResult.Done, stop.Result);
        Assert.Equal("success", await ServicePropertyAsync(manager, path, "Result", static v => v.GetString()));
        Assert.Equal(("inactive", "dead"), await StateAsync(manager, unit));
        // Hosting.Systemd's lifetime ran (the console lifetime's messages are suppressed in the agent).
        Assert.Contains("Application started. Hosting environment:", Log(), StringComparison.Ordinal);
    }

    private static async Task<string> WaitForStatusAsync(SystemdManager manager, string path, Func<string, bool> match)
    {
        var clock = Stopwatch.StartNew();
        var status = string.Empty;
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            status = await ServicePropertyAsync(manager, path, "StatusText", static v => v.GetString());
            if (match(status))
            {
                return status;
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"StatusText stayed '{status}'");
    }

    private static Task<T> ServicePropertyAsync<T>(SystemdManager manager, string path, string property, Func<Tmds.DBus.Protocol.VariantValue, T> read) =>
        manager.GetPropertyAsync(path, SystemdManager.ServiceInterface, property, read, Cancel());

    private static async Task<(string Active, string Sub)> StateAsync(SystemdManager manager, string unit)
    {
        var state = await manager.GetUnitStateAsync(unit, Cancel());
        return (state.ActiveState, state.SubState);
    }

    private string Log()
    {
        var path = Path.Combine(systemd.WorkDirectory, SystemdTestUnits.AgentLogFile);
        return File.Exists(path) ? File.ReadAllText(path) : "(no agent log)";
    }

    private static CancellationToken Cancel() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;
}
