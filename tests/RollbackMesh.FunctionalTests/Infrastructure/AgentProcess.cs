using System.Globalization;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.Infrastructure;

/// <summary>
/// A real <c>rollbackmesh-agent --config FILE</c> process, its YAML written here: insecure connection to the given
/// coordinator, journal and quarantine in a temporary directory, a 1 s health interval, no system bus. The disk reported
/// is "/", which holds the coordinator's default quarantine path, so preflight's free-space check can pass.
/// </summary>
internal sealed class AgentProcess : IDisposable
{
    private readonly ITestOutputHelper _log;
    private readonly string _directory;

    private AgentProcess(TestProcess process, string directory, ITestOutputHelper log)
    {
        Process = process;
        _directory = directory;
        _log = log;
    }

    public TestProcess Process { get; }

    /// <summary>
    /// Starts the agent; <paramref name="extraConfig"/> (YAML lines, e.g. allowedRoots) is appended to its config;
    /// <paramref name="cluster"/> is its agent.yaml cluster.
    /// </summary>
    public static AgentProcess Start(
        ITestOutputHelper log, Uri coordinator, string nodeName, string[] roles, IReadOnlyDictionary<string, string>? labels = null, string extraConfig = "",
        string cluster = "test")
    {
        var directory = Directory.CreateTempSubdirectory("rollbackmesh-e2e-agent-").FullName;
        var labelLines = string.Concat((labels ?? new Dictionary<string, string>()).Select(l => $"\n  {l.Key}: \"{l.Value}\""));
        var config = string.Create(CultureInfo.InvariantCulture, $"""
            nodeName: {nodeName}
            roles: [{string.Join(", ", roles)}]
            cluster: {cluster}
            labels:{(labelLines.Length == 0 ? " {}" : labelLines)}
            coordinator:
              address: {coordinator.ToString().TrimEnd('/')}
              insecure: true
            journalPath: {directory}/journal.db
            quarantinePath: {directory}/quarantine
            dataDirectories: [/]
            healthInterval: 1s
            systemBusAddress: unix:path={directory}/no-system-bus
            {extraConfig}
            """);
        var path = Path.Combine(directory, "agent.yaml");
        File.WriteAllText(path, config);
        log.WriteLine($"--- agent {nodeName} config ---\n{config}");
        return new AgentProcess(TestProcess.Start("agent " + nodeName, BuiltExecutables.Agent, ["--config", path]), directory, log);
    }

    public void Dispose()
    {
        Process.Dispose();
        _log.WriteLine($"--- {Process.Name} output ---\n" + Process.Output);
        Directory.Delete(_directory, recursive: true);
    }
}
