using RollbackMesh.Demo.Sandbox;
using RollbackMesh.FunctionalTests.Infrastructure;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.Calico;

/// <summary>The coordinator process and one agent process per Calico sandbox node; disposing stops them and logs their output.</summary>
internal sealed class CalicoFleetProcesses : IDisposable
{
    private readonly ITestOutputHelper _log;
    private readonly List<TestProcess> _agents = [];

    private CalicoFleetProcesses(CoordinatorProcess coordinator, ITestOutputHelper log)
    {
        Coordinator = coordinator;
        _log = log;
    }

    public CoordinatorProcess Coordinator { get; }

    public static async Task<CalicoFleetProcesses> StartCoordinatorAsync(ITestOutputHelper log) =>
        new(await CoordinatorProcess.StartAsync(log), log);

    /// <summary>Starts every node's sandbox agent (<c>rollbackmesh-demo sandbox-agent --root ROOT --config FILE</c>, the node's environment) and waits until all are connected.</summary>
    public async Task StartAgentsAsync(IReadOnlyList<CalicoNode> nodes, TimeSpan timeout)
    {
        foreach (var node in nodes)
        {
            _agents.Add(TestProcess.Start("agent " + node.Name, BuiltExecutables.Demo, [.. SandboxAgent.Arguments(node.Root, node.ConfigPath)], new Dictionary<string, string>(node.Environment)));
        }

        await OperatorRun.WaitForAgentsAsync(Coordinator.Address, [.. nodes.Select(n => n.Name)], timeout);
    }

    public void Dispose()
    {
        foreach (var agent in _agents)
        {
            agent.Dispose();
            _log.WriteLine($"--- {agent.Name} output ---\n{agent.Output}");
        }

        Coordinator.Dispose();
    }
}
