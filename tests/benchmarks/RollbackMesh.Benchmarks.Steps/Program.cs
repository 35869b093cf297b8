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
//        [--agent PATH] [--keep]  (PATH: a NativeAOT rollbackmesh-agent; default the framework-dependent build beside this program)
// Figures go to stdout, one "key value" line each, per node count and run ("run cold" / "run warm" starts a block).
var nodeCounts = (Option("--nodes") ?? "50,200").Split(',').Select(n => int.TryParse(n, CultureInfo.InvariantCulture, out var v) && v >= 4
    ? v
    : throw new ArgumentException($"--nodes takes whole numbers of at least 4 separated by commas, not '{n}'.")).ToList();
var agentBinary = Option("--agent");
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
            var result = await MeasureRunAsync(client, fleet);
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

static async Task<bool> MeasureRunAsync(Operator.OperatorClient client, BenchFleet fleet)
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

    // What the fleet costs while nothing runs (health reports, idle upkeep), to set against the run's figures.
    var idleClock = Stopwatch.StartNew();
    var (idleCoordinator, idleAgents) = (ProcStat.CpuTime(fleet.CoordinatorPid), AgentsCpu(fleet));
    await Task.Delay(TimeSpan.FromSeconds(2));
    Figure("idle_coordinator_cpu_ms_per_s", (ProcStat.CpuTime(fleet.CoordinatorPid) - idleCoordinator).TotalMilliseconds / idleClock.Elapsed.TotalSeconds);
    Figure("idle_agents_cpu_ms_per_s", (AgentsCpu(fleet) - idleAgents).Total.TotalMilliseconds / idleClock.Elapsed.TotalSeconds);

    var coordinatorBefore = ProcStat.CpuTime(fleet.CoordinatorPid);
    var agentsBefore = AgentsCpu(fleet);
    var run = await client.StartRunAsync(new StartRunRequest { Runbook = BenchFleet.RunbookName, PlanHash = planned.Hash });
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

    var trail = await StepTrail.ReadAsync(client, run);
    trail.Print(Figure);
    return run.State == RunState.Succeeded && run.Steps.All(s => s.State == StepState.Succeeded);
}

static CpuSplit AgentsCpu(BenchFleet fleet) =>
    fleet.AgentPids.Select(ProcStat.UserAndSystem).Aggregate(default(CpuSplit), (sum, p) => new CpuSplit(sum.User + p.User, sum.System + p.System));

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
