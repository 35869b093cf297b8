namespace RollbackMesh.Agent.Tests.Testbeds;

/// <summary>The unit files the systemd tests use; each test works on its own units so test order does not matter.</summary>
internal static class SystemdTestUnits
{
    public const string ReloadMarkerFile = "reload-marker";

    /// <summary>The built agent as a Type=notify service with a 2 s watchdog; its config and log live in the work directory.</summary>
    public const string AgentUnit = "rbm-agent.service";
    public const string AgentConfigFile = "agent.yaml";
    public const string AgentLogFile = "agent.log";

    public static void WriteAll(string unitDirectory, string workDirectory)
    {
        foreach (var name in new[] { "rbm-start", "rbm-stop", "rbm-restart", "rbm-state", "rbm-par1", "rbm-par2", "rbm-par3" })
        {
            Write(unitDirectory, $"{name}.service", "ExecStart=/bin/sleep infinity");
        }

        Write(unitDirectory, "rbm-fail.service", "Type=oneshot\nExecStart=/bin/false");
        // Exits soon after it starts and is restarted, as the K3s install script's Restart=always units are when k3s keeps exiting.
        Write(unitDirectory, "rbm-flap.service", "ExecStart=/bin/sh -c 'sleep 0.3; exit 1'\nRestart=always\nRestartSec=200ms");
        Write(unitDirectory, "rbm-slow.service", "Type=oneshot\nExecStart=/bin/sleep 30");
        Write(unitDirectory, "rbm-slow-start.service", "Type=oneshot\nRemainAfterExit=yes\nExecStart=/bin/sleep 3");
        Write(
            unitDirectory,
            "rbm-reload.service",
            $"ExecStart=/bin/sleep infinity\nExecReload=/bin/sh -c 'echo reloaded >> {workDirectory}/{ReloadMarkerFile}'");
        var agent = Path.Combine(AppContext.BaseDirectory, "rollbackmesh-agent.dll");
        Write(unitDirectory, AgentUnit, $"""
            Type=notify
            NotifyAccess=main
            WatchdogSec=2
            Restart=on-failure
            ExecStart={DotnetHost()} {agent} --config {workDirectory}/{AgentConfigFile}
            StandardOutput=append:{workDirectory}/{AgentLogFile}
            StandardError=append:{workDirectory}/{AgentLogFile}
            """);
    }

    // The muxer that runs this test host; the unit starts the agent's dll with it, so its main process is the agent.
    private static string DotnetHost()
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (string.IsNullOrEmpty(host) && Path.GetFileName(Environment.ProcessPath) == "dotnet")
        {
            host = Environment.ProcessPath;
        }

        return string.IsNullOrEmpty(host) ? "/usr/bin/dotnet" : host;
    }

    private static void Write(string unitDirectory, string unit, string serviceSection) =>
        File.WriteAllText(Path.Combine(unitDirectory, unit), $"[Unit]\nDescription=RollbackMesh test {unit}\n\n[Service]\n{serviceSection}\n");
}
