using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using RollbackMesh.Benchmarks.Steps;
using RollbackMesh.Protos.Channels;
using RollbackMesh.V1;

// The cost of a no-op node-step end to end (issue 16 item 5): a real coordinator process (serve --insecure, h2c on
// loopback) and N real agent processes, a run of first server (1) -> other servers (2, serial) -> agents (parallel by
// 100), three no_op steps per node, no gates; a cold run (fresh agent processes, their first step) then a warm one.
// Usage: dotnet run -c Release --project tests/benchmarks/RollbackMesh.Benchmarks.Steps -- [--nodes 50,200]
//        [--agent PATH] [--watchers N] [--keep]  (PATH: a NativeAOT rollbackmesh-agent; default the framework-dependent build beside this program)
// Figures go to stdout, one "key value" line each, per node count and run ("run cold" / "run warm" starts a block).
var nodeCounts = (Option("--nodes") ?? "50,200").Split(',').Select(n => int.TryParse(n, CultureInfo.InvariantCulture, out var v) && v >= 4
    ? v
    : throw new ArgumentException($"--nodes takes whole numbers of at least 4 separated by commas, not '{n}'.")).ToList();
var agentBinary = Option("--agent");
// --watchers N: N WatchRun streams follow each run, as `rollbackmesh watch` or the dashboard does (default 0).
var watchers = Option("--watchers") is { } w ? int.Parse(w, CultureInfo.InvariantCulture) : 0;
// --keep: the processes' logs are written under the root, which is kept and named on stderr.
var keep = args.Contains("--keep");
if (agentBinary is not null && !File.Exists(agentBinary))
{
    throw new ArgumentException($"--agent {agentBinary}: no such file.");
}

Figure("agent_build", agentBinary is null ? "framework-dependent" : "native:" + agentBinary);
var exit = 0;
foreach (var nodes in nodeCounts)
{
    var root = Directory.CreateTempSubdirectory("rollbackmesh-steps-").FullName;
    try
    {
        await using var fleet = await BenchFleet.StartAsync(root, nodes, agentBinary, keep, Progress);
        using var channel = RollbackMeshChannel.Create(fleet.Coordinator);
        var client = new Operator.OperatorClient(channel);
        foreach (var kind in new[] { "cold", "warm" })
        {
            Figure("nodes", nodes);
            Figure("run", kind);
            Figure("load_avg_1m", LoadAverage());
            var result = await MeasureRunAsync(client, fleet, watchers);
            exit |= result ? 0 : 1;
        }
    }
    catch (Exception ex) when (ex is InvalidOperationException or RpcException or TimeoutException or IOException)
    {
        Console.Error.WriteLine("steps: " + ex.Message);
        exit = 1;
    }
    finally
    {
        if (keep)
        {
            Progress("kept " + root);
        }
        else
        {
            Directory.Delete(root, recursive: true);
        }
    }
}

return exit;

static async Task<bool> MeasureRunAsync(Operator.OperatorClient client, BenchFleet fleet, int watchers)
{
    var plan = new PlanRequest { Runbook = BenchFleet.RunbookName };
    PlanResponse planned;
    var deadline = DateTime.UtcNow.AddSeconds(120);
    // Preflight waits for every node's first health report.
    while (!(planned = await client.PlanAsync(plan)).PreflightOk && DateTime.UtcNow < deadline)
    {
        await Task.Delay(500);
    }

    if (!planned.PreflightOk)
    {
        throw new InvalidOperationException("preflight failed: " + string.Join("; ", planned.Preflight));
    }

    // An agent gives memory back SettleDelay (3 s) after it connects and after its last step (a compacting collection
    // and a working-set trim: agent/RollbackMesh.Agent/Memory). Settling first starts each run from the state of an
    // agent idle for weeks, not from one still releasing its start-up or previous run's memory.
    await Task.Delay(Settle());

    // What the fleet costs while nothing runs (health reports, idle upkeep), to set against the run's figures.
    var idleClock = Stopwatch.StartNew();
    var (idleCoordinator, idleAgents) = (ProcStat.CpuTime(fleet.CoordinatorPid), AgentsCpu(fleet));
    await Task.Delay(TimeSpan.FromSeconds(2));
    var idleCoordinatorPerS = (ProcStat.CpuTime(fleet.CoordinatorPid) - idleCoordinator).TotalMilliseconds / idleClock.Elapsed.TotalSeconds;
    var idleAgentsPerS = (AgentsCpu(fleet) - idleAgents).Total.TotalMilliseconds / idleClock.Elapsed.TotalSeconds;
    Figure("idle_coordinator_cpu_ms_per_s", idleCoordinatorPerS);
    Figure("idle_agents_cpu_ms_per_s", idleAgentsPerS);

    var rssBefore = fleet.AgentPids.Average(p => (double)ProcStat.RssKiB(p));
    Figure("agent_rss_before_mib", rssBefore / 1024);
    var coordinatorBefore = ProcStat.CpuTime(fleet.CoordinatorPid);
    var agentsBefore = AgentsCpu(fleet);
    var run = await client.StartRunAsync(new StartRunRequest { Runbook = BenchFleet.RunbookName, PlanHash = planned.Hash });
    var watching = Enumerable.Range(0, watchers).Select(_ => CountEventsAsync(client, run.RunId)).ToList();
    while (run.State is RunState.Pending or RunState.Running)
    {
        await Task.Delay(100);
        run = await client.GetRunAsync(new GetRunRequest { RunId = run.RunId });
    }

    var coordinatorCpu = (ProcStat.CpuTime(fleet.CoordinatorPid) - coordinatorBefore).TotalMilliseconds;
    var agentsSplit = AgentsCpu(fleet) - agentsBefore;
    var agentsCpu = agentsSplit.Total.TotalMilliseconds;
    var nodeSteps = run.Steps.Count;
    var wall = run.FinishedAt.ToDateTimeOffset() - run.StartedAt.ToDateTimeOffset();
    var events = await Task.WhenAll(watching);
    Figure("watchers", watchers);
    Figure("watch_events", events.Sum());
    Figure("run_state", run.State.ToString());
    Figure("node_steps", nodeSteps);
    Figure("succeeded_steps", run.Steps.Count(s => s.State == StepState.Succeeded));
    Figure("run_wall_s", wall.TotalSeconds);
    Figure("wall_ms_per_node_step", wall.TotalMilliseconds / nodeSteps);
    Figure("cpu_ms_per_node_step", (coordinatorCpu + agentsCpu) / nodeSteps);
    Figure("coordinator_cpu_ms_per_node_step", coordinatorCpu / nodeSteps);
    Figure("agent_cpu_ms_per_node_step", agentsCpu / nodeSteps);
    Figure("agent_user_cpu_ms_per_node_step", agentsSplit.User.TotalMilliseconds / nodeSteps);
    Figure("agent_system_cpu_ms_per_node_step", agentsSplit.System.TotalMilliseconds / nodeSteps);

    Figure("agent_rss_after_mib", fleet.AgentPids.Average(p => (double)ProcStat.RssKiB(p)) / 1024);

    // What the run leaves behind: the agents' release of the run's memory after it (counted apart, not in the above).
    var afterBefore = (ProcStat.CpuTime(fleet.CoordinatorPid), AgentsCpu(fleet));
    var afterClock = Stopwatch.StartNew();
    await Task.Delay(Settle());
    var idleAgentsMs = (AgentsCpu(fleet) - afterBefore.Item2).Total.TotalMilliseconds - idleAgentsPerS * afterClock.Elapsed.TotalSeconds;
    Figure("after_run_agent_cpu_ms_per_node_step", idleAgentsMs / nodeSteps);
    Figure("agent_rss_settled_mib", fleet.AgentPids.Average(p => (double)ProcStat.RssKiB(p)) / 1024);
    Figure("after_run_coordinator_cpu_ms_per_node_step",
        ((ProcStat.CpuTime(fleet.CoordinatorPid) - afterBefore.Item1).TotalMilliseconds - idleCoordinatorPerS * afterClock.Elapsed.TotalSeconds) / nodeSteps);

    var trail = await StepTrail.ReadAsync(client, run);
    trail.Print(Figure);
    return run.State == RunState.Succeeded && run.Steps.All(s => s.State == StepState.Succeeded);
}

// Longer than the agent's IdleFootprintService.SettleDelay (3 s), so its release of memory has happened.
static TimeSpan Settle() => TimeSpan.FromSeconds(5);

static CpuSplit AgentsCpu(BenchFleet fleet) =>
    fleet.AgentPids.Select(ProcStat.UserAndSystem).Aggregate(default(CpuSplit), (sum, p) => new CpuSplit(sum.User + p.User, sum.System + p.System));

// Follows a run to its end as a watcher does and counts the events it was sent.
static async Task<int> CountEventsAsync(Operator.OperatorClient client, string runId)
{
    using var call = client.WatchRun(new GetRunRequest { RunId = runId });
    var count = 0;
    while (await call.ResponseStream.MoveNext(CancellationToken.None))
    {
        count++;
    }

    return count;
}

string? Option(string name)
{
    var index = Array.IndexOf(args, name);
    return index < 0 ? null : index + 1 < args.Length ? args[index + 1] : throw new ArgumentException($"{name} needs a value.");
}

static void Figure(string key, object value) => Console.WriteLine(
    key + " " + (value is double d ? d.ToString("0.###", CultureInfo.InvariantCulture) : Convert.ToString(value, CultureInfo.InvariantCulture)));

static void Progress(string line) => Console.Error.WriteLine("steps: " + line);

// The 1-minute load average: the machine is shared, so figures are printed with the load they were taken under.
static double LoadAverage() => double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

internal readonly record struct CpuSplit(TimeSpan User, TimeSpan System)
{
    public TimeSpan Total => User + System;

    public static CpuSplit operator -(CpuSplit a, CpuSplit b) => new(a.User - b.User, a.System - b.System);
}
