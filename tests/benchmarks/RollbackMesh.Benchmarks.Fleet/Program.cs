using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using RollbackMesh.Benchmarks.Fleet;
using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Fleet;
using RollbackMesh.Coordinator.Metrics;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Storage;
using RollbackMesh.Coordinator.Model;

// A no-op plan on a simulated fleet: 1 first server, 2 other servers (serial), the rest agents in parallel waves.
// Prints wall time against the ideal critical path (waves x step duration), overhead per node-step and RSS, with the
// metrics wired as the coordinator wires them, then what a Prometheus scrape of that fleet costs.
// Usage: RollbackMesh.Benchmarks.Fleet [nodes=1000] [concurrency=100] [stepMs=50]
var nodeCount = args.Length > 0 ? int.Parse(args[0]) : 1000;
var concurrency = args.Length > 1 ? int.Parse(args[1]) : 100;
var stepMs = args.Length > 2 ? int.Parse(args[2]) : 50;

var directory = Directory.CreateTempSubdirectory("rollbackmesh-bench-").FullName;
try
{
    var fleetOptions = new FleetOptions();
    await using var store = CoordinatorStore.Open(Path.Combine(directory, "coordinator.db"));
    var registry = new FleetRegistry(fleetOptions, TimeProvider.System, store);
    var metrics = new CoordinatorMetrics(registry, store);
    var runs = new RunInboxes(store, TimeProvider.System, NullLogger<RunInboxes>.Instance);
    var hub = new AgentSessionHub(registry, fleetOptions, TimeProvider.System, NullLogger<AgentSessionHub>.Instance, runs, metrics);
    var options = new ExecutorOptions { GatePollInterval = TimeSpan.FromMilliseconds(10) };
    await using var executor = new RunExecutor(
        store, registry, hub, options, TimeProvider.System, NullLogger<RunExecutor>.Instance, new StepTimings(metrics), runs);

    var names = Enumerable.Range(1, nodeCount).Select(i => i == 1 ? "server-1" : i <= 3 ? $"server-{i}" : $"agent-{i - 3:D4}").ToList();
    var agents = names.Select(n => new BenchAgent(n, n == "server-1" ? "first-server" : n.StartsWith("server", StringComparison.Ordinal) ? "server" : "agent", hub)).ToList();
    await Task.WhenAll(agents.Select(a => a.ConnectAsync()));

    var gate = new PlanGate([new GateCheck(GateCheckKind.NodesHealthy, "", ""), new GateCheck(GateCheckKind.UnitActive, "k3s.service", "")], TimeSpan.FromMinutes(1));
    var phases = ImmutableArray.Create(
        Phase("first-server", names.Take(1), 1, gate),
        Phase("other-servers", names.Skip(1).Take(2), 1, gate),
        Phase("agents", names.Skip(3), concurrency, gate));
    var plan = new Plan("noop", "1", "none", ImmutableSortedDictionary<string, string>.Empty, [], phases, "bench");
    var waves = phases.Sum(p => p.Waves.Length);
    var nodeSteps = plan.AllSteps.Count();

    var clock = Stopwatch.StartNew();
    var run = await executor.StartAsync(plan, "bench");
    await executor.WaitAsync(run.Run.RunId);
    clock.Stop();

    var final = executor.Get(run.Run.RunId);
    var ideal = TimeSpan.FromMilliseconds((double)waves * stepMs);
    var overhead = clock.Elapsed - ideal;
    using var process = Process.GetCurrentProcess();
    process.Refresh();
    Console.WriteLine($"run state                 {final.Run.State} ({final.Steps.Count(s => s.State == StepState.Succeeded)}/{nodeSteps} steps succeeded, executions {agents.Sum(a => a.Executions)})");
    Console.WriteLine($"fleet                     {nodeCount} nodes: 1 first server, 2 other servers (serial), {nodeCount - 3} agents at concurrency {concurrency}");
    Console.WriteLine($"waves x step duration     {waves} x {stepMs} ms");
    Console.WriteLine($"wall time                 {clock.Elapsed.TotalMilliseconds:F0} ms");
    Console.WriteLine($"ideal critical path       {ideal.TotalMilliseconds:F0} ms");
    Console.WriteLine($"overhead per node-step    {overhead.TotalMilliseconds / nodeSteps:F3} ms (target <= 1 ms)");
    Console.WriteLine($"coordinator RSS           {process.WorkingSet64 / (1024.0 * 1024):F0} MB now, {process.PeakWorkingSet64 / (1024.0 * 1024):F0} MB peak (target <= 300 MB)");
    Console.WriteLine($"audit rows                {store.QueryAudit(run.Run.RunId, 1_000_000).Count}");
    var (scrapeMs, scrapeBytes) = await TimeScrapesAsync(metrics, 20);
    Console.WriteLine($"metrics scrape            {scrapeMs:F2} ms each (mean of 20, gauges over {nodeCount} nodes), {scrapeBytes} bytes");
    return final.Run.State == RunState.Succeeded ? 0 : 1;
}
finally
{
    Directory.Delete(directory, recursive: true);
}

static async Task<(double Milliseconds, long Bytes)> TimeScrapesAsync(CoordinatorMetrics metrics, int scrapes)
{
    using var warmUp = new MemoryStream();
    await metrics.Registry.CollectAndExportAsTextAsync(warmUp);
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < scrapes; i++)
    {
        using var text = new MemoryStream();
        await metrics.Registry.CollectAndExportAsTextAsync(text);
    }

    return (clock.Elapsed.TotalMilliseconds / scrapes, warmUp.Length);
}

PlanPhase Phase(string name, IEnumerable<string> nodes, int maxConcurrency, PlanGate gate)
{
    var noop = new RollbackMesh.V1.Action { NoOp = new RollbackMesh.V1.NoOp { SleepMilliseconds = (uint)stepMs } };
    var waves = nodes.Chunk(maxConcurrency).Select((chunk, i) => new PlanWave(i, [.. chunk.Select(node =>
        new PlanNodeSteps(node, [new PlanStep($"{name}/{node}/noop", name, node, "noop", noop, TimeSpan.FromMinutes(1), false, false, "bench")]))]));
    return new PlanPhase(name, name, maxConcurrency == 1 ? PhaseMode.Serial : PhaseMode.Parallel, maxConcurrency, 0, [.. waves], gate);
}
