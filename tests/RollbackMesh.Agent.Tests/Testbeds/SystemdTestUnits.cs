namespace RollbackMesh.Agent.Tests.Testbeds;

/// <summary>The unit files the systemd tests use; each test works on its own units so test order does not matter.</summary>
internal static class SystemdTestUnits
{
    public const string ReloadMarkerFile = "reload-marker";

    public static void WriteAll(string unitDirectory, string workDirectory)
    {
        foreach (var name in new[] { "rbm-start", "rbm-stop", "rbm-restart", "rbm-state", "rbm-par1", "rbm-par2", "rbm-par3" })
        {
            Write(unitDirectory, $"{name}.service", "ExecStart=/bin/sleep infinity");
        }

        Write(unitDirectory, "rbm-fail.service", "Type=oneshot\nExecStart=/bin/false");
        Write(unitDirectory, "rbm-slow.service", "Type=oneshot\nExecStart=/bin/sleep 30");
        Write(
            unitDirectory,
            "rbm-reload.service",
            $"ExecStart=/bin/sleep infinity\nExecReload=/bin/sh -c 'echo reloaded >> {workDirectory}/{ReloadMarkerFile}'");
    }

    private static void Write(string unitDirectory, string unit, string serviceSection) =>
        File.WriteAllText(Path.Combine(unitDirectory, unit), $"[Unit]\nDescription=RollbackMesh test {unit}\n\n[Service]\n{serviceSection}\n");
}
