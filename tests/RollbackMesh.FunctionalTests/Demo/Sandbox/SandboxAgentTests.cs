using RollbackMesh.Demo.Sandbox;
using RollbackMesh.FunctionalTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.Demo.Sandbox;

/// <summary>`rollbackmesh-demo sandbox-agent`: bad input is refused with the agent's exit codes and names what is wrong.</summary>
public sealed class SandboxAgentTests(ITestOutputHelper log) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rollbackmesh-sandbox-agent-").FullName;

    [Fact]
    public async Task SandboxAgent_NoRoot_UsageExit64NamingRoot()
    {
        using var agent = TestProcess.Start("sandbox agent", BuiltExecutables.Demo, [SandboxAgent.Command, "--config", Config()]);

        Assert.Equal(64, await agent.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        log.WriteLine(agent.Output);
        Assert.Contains("--root DIR is required", agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SandboxAgent_RootMissing_ConfigurationExit78NamingTheRoot()
    {
        var root = Path.Combine(_dir, "no-such-root");

        using var agent = TestProcess.Start("sandbox agent", BuiltExecutables.Demo, SandboxAgent.Arguments(root, Config()));

        Assert.Equal(78, await agent.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        log.WriteLine(agent.Output);
        Assert.Contains($"sandbox root (--root): directory '{root}' does not exist", agent.Output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Config()
    {
        var path = Path.Combine(_dir, "agent.yaml");
        File.WriteAllText(path, $"nodeName: node-1\nroles: [agent]\ncluster: demo\ncoordinator:\n  address: http://127.0.0.1:9\n  insecure: true\n"
            + $"journalPath: {_dir}/journal.db\nquarantinePath: {_dir}/quarantine\nallowedRoots: [{_dir}]\n");
        return path;
    }
}
