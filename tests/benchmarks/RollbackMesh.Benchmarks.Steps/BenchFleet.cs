using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using RollbackMesh.Protos.Channels;
using RollbackMesh.V1;

namespace RollbackMesh.Benchmarks.Steps;

/// <summary>
/// A real coordinator (<c>serve --insecure --listen 127.0.0.1:0</c>, its own --data and the benchmark's runbook) and
/// one real agent process per node, each with its own config, journal and quarantine under the root: server-1
/// (first-server), server-2 and server-3 (server), agent-NNNNN (agent). Disposing kills them all.
/// </summary>
internal sealed class BenchFleet : IAsyncDisposable
{
    public const string RunbookName = "steps-bench";
    private const string ListeningPrefix = "listening on ";
    private readonly List<Process> _agents = [];
    private Process? _coordinator;

    private BenchFleet()
    {
    }

    public Uri Coordinator { get; private set; } = new("http://127.0.0.1");

    public int CoordinatorPid => _coordinator!.Id;

    public IEnumerable<int> AgentPids => _agents.Select(a => a.Id);

    public static async Task<BenchFleet> StartAsync(string root, int nodes, string? agentBinary, bool keepLogs, Action<string> progress)
    {
        var fleet = new BenchFleet();
        try
        {
            var runbooks = Directory.CreateDirectory(Path.Combine(root, "runbooks")).FullName;
            await File.WriteAllTextAsync(Path.Combine(runbooks, RunbookName + ".yaml"), Runbook).ConfigureAwait(false);
            var data = Directory.CreateDirectory(Path.Combine(root, "coordinator")).FullName;
            var clock = Stopwatch.StartNew();
            fleet._coordinator = Start(
                Beside("rollbackmesh-coordinator.dll"), ["serve", "--insecure", "--listen", "127.0.0.1:0", "--data", data, "--runbooks", runbooks],
                log: keepLogs ? Path.Combine(root, "coordinator.log") : null);
            fleet.Coordinator = new Uri((await WaitForLineAsync(fleet._coordinator, ListeningPrefix, TimeSpan.FromSeconds(120)).ConfigureAwait(false))[ListeningPrefix.Length..].Trim());
            progress($"coordinator pid {fleet._coordinator.Id} on {fleet.Coordinator}");
            for (var i = 1; i <= nodes; i++)
            {
                var (name, role) = i == 1 ? ("server-1", "first-server") : i <= 3 ? ($"server-{i}", "server") : ($"agent-{i - 3:D5}", "agent");
                var config = WriteAgentConfig(Directory.CreateDirectory(Path.Combine(root, "nodes", name)).FullName, name, role, fleet.Coordinator);
                var log = keepLogs ? Path.Combine(root, "nodes", name, "agent.log") : null;
                fleet._agents.Add(agentBinary is null
                    ? Start(Beside("rollbackmesh-agent.dll"), ["--config", config], log: log)
                    : Start(null, ["--config", config], agentBinary, log));
            }

            await fleet.WaitConnectedAsync(nodes, TimeSpan.FromSeconds(Math.Max(120, nodes))).ConfigureAwait(false);
            progress($"{nodes} agents connected in {clock.Elapsed.TotalSeconds:0.0} s");
            return fleet;
        }
        catch
        {
            await fleet.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (var process in _agents.Append(_coordinator).OfType<Process>())
        {
            try
            {
                process.Kill();
                process.WaitForExit(10_000);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            process.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private async Task WaitConnectedAsync(int nodes, TimeSpan timeout)
    {
        using var channel = RollbackMeshChannel.Create(Coordinator);
        var client = new Operator.OperatorClient(channel);
        var deadline = DateTime.UtcNow + timeout;
        var connected = 0;
        while (DateTime.UtcNow < deadline)
        {
            var exited = _agents.FirstOrDefault(a => a.HasExited);
            if (exited is not null)
            {
                throw new InvalidOperationException($"an agent exited with {exited.ExitCode} before connecting");
            }

            connected = 0;
            var request = new ListNodesRequest();
            do
            {
                var page = await client.ListNodesAsync(request).ResponseAsync.ConfigureAwait(false);
                connected += page.Nodes.Count(n => n.Connected && !n.Stale);
                request.PageToken = page.NextPageToken;
            }
            while (request.PageToken.Length > 0);

            if (connected == nodes)
            {
                return;
            }

            await Task.Delay(500).ConfigureAwait(false);
        }

        throw new TimeoutException($"{connected} of {nodes} agents connected within {timeout.TotalSeconds:0} s");
    }

    private static string WriteAgentConfig(string directory, string name, string role, Uri coordinator)
    {
        // The disk reported is "/", which holds the coordinator's default quarantine path, so preflight's free-space
        // check passes; no system bus, so no unit is touched.
        var path = Path.Combine(directory, "agent.yaml");
        File.WriteAllText(path, string.Create(CultureInfo.InvariantCulture, $"""
            nodeName: {name}
            roles: [{role}]
            cluster: bench
            coordinator:
              address: {coordinator.ToString().TrimEnd('/')}
              insecure: true
            journalPath: {directory}/journal.db
            quarantinePath: {directory}/quarantine
            dataDirectories: [/]
            healthInterval: 10s
            systemBusAddress: unix:path={directory}/no-system-bus

            """));
        return path;
    }

    private static string Beside(string dll) => Path.Combine(AppContext.BaseDirectory, dll);

    private static Process Start(string? dll, string[] args, string? executable = null, string? log = null)
    {
        var info = new ProcessStartInfo(executable ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (dll is not null)
        {
            info.ArgumentList.Add(dll);
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        // Drain the pipes so a chatty process never blocks on a full one; with --keep, into its log file.
        var writer = log is null ? null : TextWriter.Synchronized(new StreamWriter(log) { AutoFlush = true });
        process.ErrorDataReceived += (_, e) => writer?.WriteLine(e.Data);
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<string> WaitForLineAsync(Process process, string prefix, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (await process.StandardOutput.ReadLineAsync(cts.Token).ConfigureAwait(false) is { } line)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
                return line;
            }
        }

        throw new InvalidOperationException($"the coordinator exited ({process.ExitCode}) before printing '{prefix}'");
    }

    // Item 5's shape: three no_op steps per node, no gates; other servers one at a time, agents 100 at a time.
    private const string Runbook = """
        name: steps-bench
        version: "1"
        procedure: 003_3f800a8f042ff462.txt
        description: Three no-op steps per node in the K3s order, no gates (the node-step cost benchmark).
        phases:
          - name: first-server
            nodes: first-server
            mode: serial
            steps:
              - { name: noop-1, action: no_op, timeout: 1m, source: benchmark step }
              - { name: noop-2, action: no_op, timeout: 1m, source: benchmark step }
              - { name: noop-3, action: no_op, timeout: 1m, source: benchmark step }
          - name: other-servers
            nodes: other-servers
            mode: serial
            steps:
              - { name: noop-1, action: no_op, timeout: 1m, source: benchmark step }
              - { name: noop-2, action: no_op, timeout: 1m, source: benchmark step }
              - { name: noop-3, action: no_op, timeout: 1m, source: benchmark step }
          - name: agents
            nodes: agents
            mode: parallel
            max_concurrency: 100
            failure_budget: 0
            steps:
              - { name: noop-1, action: no_op, timeout: 1m, source: benchmark step }
              - { name: noop-2, action: no_op, timeout: 1m, source: benchmark step }
              - { name: noop-3, action: no_op, timeout: 1m, source: benchmark step }
        notes:
          - Not a documented procedure; it names the K3s seed only because it mirrors that document's server/agent order.
        """;
}
