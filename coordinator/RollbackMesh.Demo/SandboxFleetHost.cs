using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using RollbackMesh.Demo.Sandbox;
using RollbackMesh.Protos.Channels;
using RollbackMesh.V1;

namespace RollbackMesh.Demo;

/// <summary>
/// Runs a sandbox fleet as real processes on loopback: a coordinator (`serve --insecure`, embedded SQLite under the
/// state directory) and one sandbox agent process per node (`rollbackmesh-demo sandbox-agent`: the agent's code with
/// the sandbox services, <see cref="SandboxAgent"/>). The coordinator can be killed (SIGKILL) and restarted on
/// the same port and --data, an agent on its own config and journal, as the crash tests do. Disposing stops everything.
/// </summary>
internal sealed class SandboxFleetHost : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Dictionary<string, ChildProcess> _agents = new(StringComparer.Ordinal);
    private readonly Executable _coordinatorExe;
    private readonly Executable _agentExe;
    private readonly string? _runbookDirectory;

    private SandboxFleetHost(SandboxFleet fleet, Executable coordinator, Executable agent, string? runbookDirectory)
    {
        _runbookDirectory = runbookDirectory;
        Fleet = fleet;
        _coordinatorExe = coordinator;
        _agentExe = agent;
    }

    /// <summary>The sandbox fleet.</summary>
    public SandboxFleet Fleet { get; private set; }

    /// <summary>The coordinator's URL (http://127.0.0.1:PORT).</summary>
    public Uri Coordinator { get; private set; } = new("http://127.0.0.1");

    /// <summary>The running coordinator process.</summary>
    public ChildProcess? CoordinatorProcess { get; private set; }

    /// <summary>The agent processes by node name.</summary>
    public IReadOnlyDictionary<string, ChildProcess> Agents => _agents;

    /// <summary>
    /// Starts the coordinator (with extra runbooks from <paramref name="runbookDirectory"/> when given), builds the sandbox
    /// fleet under <paramref name="stateDirectory"/> (<paramref name="clusters"/> clusters of that shape) and starts its agents.
    /// </summary>
    public static async Task<SandboxFleetHost> StartAsync(string stateDirectory, int servers, int agents, Action<string> progress, CancellationToken ct,
        string? runbookDirectory = null, bool? realEtcd = null, int clusters = 1)
    {
        var state = Path.GetFullPath(stateDirectory);
        Directory.CreateDirectory(state);
        var host = new SandboxFleetHost(new SandboxFleet(state, [], string.Empty), Executable.Beside("rollbackmesh-coordinator"), Executable.Beside("rollbackmesh-demo"), runbookDirectory);
        try
        {
            await host.StartCoordinatorAsync("127.0.0.1:0", ct).ConfigureAwait(false);
            progress($"coordinator: {host.Coordinator} (pid {host.CoordinatorProcess!.Id}, data {host.Fleet.CoordinatorDataDirectory})");
            host.Fleet = await SandboxFleetBuilder.BuildAsync(state, servers, agents, host.Coordinator, ct, realEtcd, clusters).ConfigureAwait(false);
            var snapshot = host.Fleet.RealEtcd ? "real etcd snapshot" : "STAND-IN etcd snapshot";
            progress($"sandbox fleet: {host.Fleet.Nodes.Count} nodes under {Path.Combine(state, "nodes")} ({snapshot} on {host.Fleet.FirstServer.Name})");
            if (!host.Fleet.RealEtcd)
            {
                progress(realEtcd is null
                    ? "NOTE: etcd is not installed here (apt-get install -y etcd-server etcd-client), so the etcd snapshot, its trial"
                    : "NOTE: stand-in etcd requested: the etcd snapshot, its trial");
                progress("      restore and the cluster-reset restore use a STAND-IN etcdctl that checks a stand-in snapshot's sha256.");
                progress("      Install those packages and run the demo again to use the real etcd for them.");
            }
            foreach (var node in host.Fleet.Nodes)
            {
                host._agents[node.Name] = ChildProcess.Start(host._agentExe, SandboxAgent.Arguments(node.Root, node.ConfigPath), host.LogFile(node.Name));
            }

            progress($"agents: {string.Join(", ", host.Fleet.Nodes.Select(n => $"{n.Name} ({string.Join('+', n.Roles)}, pid {host._agents[n.Name].Id})"))}");
            return host;
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The log file of a process (coordinator or a node name).</summary>
    public string LogFile(string name) => Path.Combine(Fleet.StateDirectory, "logs", name + ".log");

    /// <summary>Opens an operator channel to the coordinator.</summary>
    public GrpcChannel OpenChannel() => RollbackMeshChannel.Create(Coordinator);

    /// <summary>Waits until every node's agent is connected to the coordinator.</summary>
    /// <exception cref="TimeoutException">Not within <paramref name="timeout"/>; the message names the missing nodes.</exception>
    public async Task WaitForAgentsAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var channel = OpenChannel();
        var deadline = DateTime.UtcNow + timeout;
        var missing = Fleet.Nodes.Select(n => n.Name).ToList();
        while (true)
        {
            try
            {
                var nodes = await new Operator.OperatorClient(channel).ListNodesAsync(new ListNodesRequest(), cancellationToken: ct).ResponseAsync.ConfigureAwait(false);
                var connected = nodes.Nodes.Where(n => n.Connected && !n.Stale).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
                missing = Fleet.Nodes.Select(n => n.Name).Where(n => !connected.Contains(n)).ToList();
            }
            catch (RpcException) when (DateTime.UtcNow < deadline)
            {
            }

            if (missing.Count == 0)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"agents not connected after {timeout.TotalSeconds:0} s: {string.Join(", ", missing)} (logs in {Path.Combine(Fleet.StateDirectory, "logs")})");
            }

            await Task.Delay(250, ct).ConfigureAwait(false);
        }
    }

    /// <summary>SIGKILLs the coordinator (a crash: no graceful shutdown, no final writes).</summary>
    public async Task KillCoordinatorAsync()
    {
        if (CoordinatorProcess is { } process)
        {
            await process.KillAsync().ConfigureAwait(false);
            await process.DisposeAsync().ConfigureAwait(false);
            CoordinatorProcess = null;
        }
    }

    /// <summary>SIGKILLs the agent of <paramref name="node"/> (a crash mid-step: its journal keeps the step "started").</summary>
    public async Task KillAgentAsync(string node)
    {
        if (_agents.Remove(node, out var process))
        {
            await process.KillAsync().ConfigureAwait(false);
            await process.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Starts the agent of <paramref name="node"/> again on its config (same journal, same log file).</summary>
    public void RestartAgent(string node)
    {
        var sandbox = Fleet.Nodes.Single(n => n.Name == node);
        _agents[node] = ChildProcess.Start(_agentExe, SandboxAgent.Arguments(sandbox.Root, sandbox.ConfigPath), LogFile(node));
    }

    /// <summary>Starts the coordinator again on the same port and --data directory (agents reconnect to the same URL).</summary>
    public Task RestartCoordinatorAsync(CancellationToken ct) =>
        StartCoordinatorAsync($"127.0.0.1:{Coordinator.Port.ToString(CultureInfo.InvariantCulture)}", ct);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_agents.Values.Select(a => a.StopAsync(TimeSpan.FromSeconds(10)))).ConfigureAwait(false);
        foreach (var agent in _agents.Values)
        {
            await agent.DisposeAsync().ConfigureAwait(false);
        }

        if (CoordinatorProcess is { } coordinator)
        {
            await coordinator.StopAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
            await coordinator.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task StartCoordinatorAsync(string listen, CancellationToken ct)
    {
        List<string> arguments = ["serve", "--listen", listen, "--data", Fleet.CoordinatorDataDirectory, "--insecure"];
        if (_runbookDirectory is not null)
        {
            arguments.AddRange(["--runbooks", _runbookDirectory]);
        }

        var process = ChildProcess.Start(_coordinatorExe, arguments, LogFile("coordinator"));
        CoordinatorProcess = process;
        var line = await process.WaitForLineAsync(l => l.StartsWith("listening on ", StringComparison.Ordinal), StartTimeout, ct).ConfigureAwait(false);
        Coordinator = new Uri(line["listening on ".Length..].Trim());
    }
}
