using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Grpc.Core;
using RollbackMesh.Benchmarks.Swarm;
using RollbackMesh.Coordinator.Security;
using RollbackMesh.Protos.Channels;
using RollbackMesh.V1;

// N simulated agents over real mTLS AgentHub.Connect streams against a real coordinator process (issue 16 item 1).
// Usage: dotnet run -c Release --project tests/benchmarks/RollbackMesh.Benchmarks.Swarm -- --agents N --hold SECONDS
//        ... -- --clusters C [--parallel K] --hold SECONDS: C clusters of 3 nodes (first server, server, agent) and,
//        instead of one run over every node, a noop campaign over all C clusters (canary 1, then K at once) (issue 14 item 8).
// Figures go to stdout, one "key value" line each; progress goes to stderr.
var clusterCount = IntOption("--clusters", 0);
var parallel = IntOption("--parallel", 100);
var agentCount = clusterCount > 0 ? 3 * clusterCount : IntOption("--agents", 100);
var holdSeconds = IntOption("--hold", 30);
// The noop runbook's steps time out after 1m (BuiltIn/noop.yaml); the coordinator sends deadline = dispatch + timeout.
var noopStepTimeout = TimeSpan.FromMinutes(1);

var openFiles = OpenFileLimit();
if (openFiles < agentCount + 1024)
{
    Console.Error.WriteLine($"warning: open-file limit {openFiles} is below {agentCount + 1024}; raise it (ulimit -n) or agents will fail to connect.");
}

var root = Directory.CreateTempSubdirectory("rollbackmesh-swarm-").FullName;
var agents = new List<SwarmAgent>();
CoordinatorUnderTest? coordinator = null;
var exit = 1;
try
{
    coordinator = await CoordinatorUnderTest.InitializeAsync(root);
    var paths = new SecurityPaths(coordinator.DataDirectory);
    using var caPublic = X509CertificateLoader.LoadCertificateFromFile(paths.CaCertificate);

    // Bulk issue from the coordinator's own CA, with the certificate shape enrollment issues (IssueClient).
    var clock = Stopwatch.StartNew();
    // One fleet (cluster-less, as before clusters existed), or C clusters of a first server, a server and an agent each.
    var members = clusterCount > 0
        ? Enumerable.Range(1, clusterCount).SelectMany(c => new[]
            { ($"c{c:D4}-server-1", "first-server", $"c{c:D4}"), ($"c{c:D4}-server-2", "server", $"c{c:D4}"), ($"c{c:D4}-agent-1", "agent", $"c{c:D4}") }).ToList()
        : Enumerable.Range(1, agentCount).Select(i => i == 1 ? ("server-1", "first-server", "") : i <= 3 ? ($"server-{i}", "server", "") : ($"agent-{i - 3:D5}", "agent", "")).ToList();
    var names = members.Select(m => m.Item1).ToList();
    var certificates = new List<X509Certificate2>(agentCount);
    using (var ca = CertificateAuthority.Load(paths))
    {
        foreach (var name in names)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            using var issued = ca.IssueClient(new PublicKey(key), PeerKind.Node, name, DateTimeOffset.UtcNow, TimeSpan.FromDays(1));
            certificates.Add(issued.CopyWithPrivateKey(key));
        }
    }

    Figure("certificates_issue_s", clock.Elapsed.TotalSeconds);

    await coordinator.StartAsync();
    Progress($"coordinator pid {coordinator.Pid} on {coordinator.Address}");
    using var operatorCertificate = X509Certificate2.CreateFromPemFile(
        Path.Combine(coordinator.OperatorDirectory, "swarm.crt"), Path.Combine(coordinator.OperatorDirectory, "swarm.key"));
    using var operatorChannel = RollbackMeshChannel.Create(coordinator.Address, new ChannelSettings { ClientCertificate = operatorCertificate, PinnedCa = caPublic });
    var operatorClient = new Operator.OperatorClient(operatorChannel);

    // Spread source addresses as real nodes have their own: at most 200 agents per 127.0.0.x, under the coordinator's
    // default MaxConnectionsPerPeer (256), which a single address would hit (measured: 256 of 1,000 connected).
    var sources = Math.Max(1, (agentCount + 199) / 200);
    if (sources > 250)
    {
        throw new ArgumentException($"--agents {agentCount} needs {sources} loopback source addresses; at most 50,000 agents (250 addresses) fit");
    }

    for (var i = 0; i < agentCount; i++)
    {
        var source = IPAddress.Parse($"127.0.0.{2 + (i % sources)}");
        agents.Add(new SwarmAgent(names[i], members[i].Item2, members[i].Item3, coordinator.Address, certificates[i], caPublic, source, noopStepTimeout));
    }

    // Connect storm: every agent dials at once, as after a fleet-wide agent upgrade.
    clock.Restart();
    agents.ForEach(a => a.Start());
    var connectTimeout = TimeSpan.FromSeconds(Math.Max(120, agentCount / 20));
    await WaitAllAsync(agents.Select(a => a.Connected), connectTimeout);
    var connected = agents.Count(a => a.Connected.IsCompletedSuccessfully);
    Figure("agents", agentCount);
    Figure("connected", connected);
    Figure("connect_all_s", connected == agentCount ? clock.Elapsed.TotalSeconds : double.NaN);
    ReportStragglers(agents);

    // Steady state: everyone connected and reporting health every 10 s; let the connect storm's work drain first.
    await Task.Delay(TimeSpan.FromSeconds(5));
    Figure("load_avg_1m", LoadAverage());
    var rssBefore = RssKiB(coordinator.Pid);
    var reportsBefore = agents.Sum(a => a.HealthReports);
    var cpuBefore = CpuTime(coordinator.Pid);
    clock.Restart();
    await Task.Delay(TimeSpan.FromSeconds(holdSeconds));
    var steadyCpu = CpuTime(coordinator.Pid) - cpuBefore;
    Figure("coordinator_cpu_pct", 100 * steadyCpu.TotalSeconds / clock.Elapsed.TotalSeconds);
    var rssAfter = RssKiB(coordinator.Pid);
    Figure("coordinator_rss_mib", rssAfter / 1024.0);
    // The registry keeps the last 100 reports per node, so RSS keeps growing for 100 intervals (~17 min) after connect.
    var reportsHeld = agents.Sum(a => a.HealthReports) - reportsBefore;
    Figure("health_reports_in_hold", reportsHeld);
    Figure("coordinator_rss_growth_bytes_per_report", reportsHeld == 0 ? double.NaN : (rssAfter - rssBefore) * 1024.0 / reportsHeld);

    // What an operator waits for: the CLI process, TLS handshake and every page of the node list.
    var (json, wall) = await CoordinatorUnderTest.RunToEndAsync("rollbackmesh.dll", "nodes", "--json",
        "--coordinator", coordinator.Address.ToString(), "--ca", paths.CaCertificate,
        "--cert", Path.Combine(coordinator.OperatorDirectory, "swarm.crt"), "--key", Path.Combine(coordinator.OperatorDirectory, "swarm.key"));
    Figure("nodes_list_ms", wall.TotalMilliseconds);
    Figure("nodes_listed", NodesInJson(json));
    // The same list over the already open operator channel: the coordinator's share, without the CLI's start-up.
    clock.Restart();
    var listed = 0;
    var pageRequest = new ListNodesRequest();
    do
    {
        var page = await operatorClient.ListNodesAsync(pageRequest);
        listed += page.Nodes.Count;
        pageRequest.PageToken = page.NextPageToken;
    }
    while (pageRequest.PageToken.Length > 0);
    Figure("nodes_list_api_ms", clock.Elapsed.TotalMilliseconds);
    Figure("nodes_listed_api", listed);

    if (clusterCount > 0)
    {
        await CampaignFiguresAsync(operatorClient, coordinator.Pid, clusterCount, parallel);
        exit = connected == agentCount ? 0 : 1;
        return exit;
    }

    // A noop run over every connected node (sleep 0: everything measured is overhead).
    var ownCpuBefore = CpuTime(Environment.ProcessId);
    cpuBefore = CpuTime(coordinator.Pid);
    var run = await RunNoopAsync(operatorClient);
    var runCoordinatorCpu = CpuTime(coordinator.Pid) - cpuBefore;
    var runSwarmCpu = CpuTime(Environment.ProcessId) - ownCpuBefore;
    var runWall = run.FinishedAt.ToDateTimeOffset() - run.StartedAt.ToDateTimeOffset();
    var nodeSteps = run.Steps.Count;
    Figure("run_state", run.State.ToString());
    Figure("run_nodes", run.Steps.Select(s => s.Node).Distinct().Count());
    Figure("run_node_steps", nodeSteps);
    Figure("run_succeeded_steps", run.Steps.Count(s => s.State == StepState.Succeeded));
    Figure("run_wall_s", runWall.TotalSeconds);
    Figure("run_overhead_ms_per_node_step", runWall.TotalMilliseconds / Math.Max(1, nodeSteps));
    Figure("cpu_ms_per_node_step", (runCoordinatorCpu + runSwarmCpu).TotalMilliseconds / Math.Max(1, nodeSteps));
    Figure("coordinator_cpu_ms_per_node_step", runCoordinatorCpu.TotalMilliseconds / Math.Max(1, nodeSteps));
    var dispatches = agents.SelectMany(a => a.Dispatches).Where(d => d.RunId == run.RunId).ToList();
    var latencies = dispatches.Select(d => (d.ReceivedAt - d.DispatchedAt).TotalMilliseconds).Order().ToList();
    Figure("dispatches", dispatches.Count);
    Figure("dispatch_p50_ms", Percentile(latencies, 0.50));
    Figure("dispatch_p99_ms", Percentile(latencies, 0.99));
    // A sequential step: the first-server phase is serial; dispatch (coordinator) -> result recorded (its updated_at).
    var serial = run.Steps.Where(s => s.Phase == "first-server")
        .Select(s => dispatches.Where(d => d.StepId == s.StepId).Select(d => (s.UpdatedAt.ToDateTimeOffset() - d.DispatchedAt).TotalMilliseconds).DefaultIfEmpty(double.NaN).Min())
        .Order().ToList();
    Figure("critical_step_ms", Percentile(serial, 0.5));
    Figure("executions", agents.Sum(a => a.Executions));

    // A silent agent: its stream stays open but its health reports stop (a hung agent, a half-open connection).
    var silent = agents[^1];
    silent.GoSilent();
    var silentSince = silent.LastHealthSent;
    var detected = await WaitForStaleAsync(operatorClient, silent.Name, TimeSpan.FromSeconds(120));
    Figure("dead_agent_detected_s", detected is { } at ? (at - silentSince).TotalSeconds : double.NaN);

    // Coordinator SIGKILLed and restarted on the same port: every agent must find its way back on its own backoff.
    agents.ForEach(a => a.ExpectReconnect());
    clock.Restart();
    coordinator.Kill();
    await coordinator.StartAsync();
    Figure("coordinator_restart_s", clock.Elapsed.TotalSeconds);
    await WaitAllAsync(agents.Select(a => a.Connected), TimeSpan.FromSeconds(Math.Max(120, agentCount / 20)));
    var reconnected = agents.Count(a => a.Connected.IsCompletedSuccessfully);
    Figure("reconnected", reconnected);
    ReportStragglers(agents);
    Figure("reconnect_all_s", reconnected == agentCount ? clock.Elapsed.TotalSeconds : double.NaN);
    Figure("coordinator_rss_after_restart_mib", RssKiB(coordinator.Pid) / 1024.0);
    Figure("swarm_rss_mib", RssKiB(Environment.ProcessId) / 1024.0);
    Figure("load_avg_1m_end", LoadAverage());
    exit = connected == agentCount && reconnected == agentCount && run.State == RunState.Succeeded ? 0 : 1;
}
catch (Exception ex) when (ex is InvalidOperationException or RpcException or TimeoutException or IOException)
{
    Console.Error.WriteLine("swarm: " + ex.Message);
    if (coordinator is not null)
    {
        Console.Error.WriteLine("--- coordinator log (tail) ---\n" + coordinator.StderrTail());
    }
}
finally
{
    await Task.WhenAll(agents.Select(a => a.DisposeAsync().AsTask()));
    coordinator?.Dispose();
    Directory.Delete(root, recursive: true);
}

return exit;

int IntOption(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    if (index < 0)
    {
        return fallback;
    }

    return index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) && value > 0
        ? value
        : throw new ArgumentException($"{name} needs a positive whole number.");
}

static void Figure(string key, object value) => Console.WriteLine(
    key + " " + (value is double d ? d.ToString("0.###", CultureInfo.InvariantCulture) : Convert.ToString(value, CultureInfo.InvariantCulture)));

static void ReportStragglers(List<SwarmAgent> agents)
{
    foreach (var agent in agents.Where(a => !a.Connected.IsCompletedSuccessfully).Take(10))
    {
        Progress($"{agent.Name} not connected after {agent.Attempts} attempts; last error: {agent.LastError}");
    }
}

static void Progress(string line) => Console.Error.WriteLine("swarm: " + line);

static double Percentile(List<double> sorted, double q) =>
    sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];

static async Task WaitAllAsync(IEnumerable<Task> tasks, TimeSpan timeout) =>
    await Task.WhenAny(Task.WhenAll(tasks), Task.Delay(timeout));

static int NodesInJson(string json)
{
    using var document = JsonDocument.Parse(json);
    return document.RootElement.TryGetProperty("nodes", out var nodes) ? nodes.GetArrayLength() : 0;
}

static async Task<RunStatus> RunNoopAsync(Operator.OperatorClient client)
{
    var plan = new PlanRequest { Runbook = "noop" };
    plan.Parameters.Add("sleep_ms", "0");
    PlanResponse planned;
    var deadline = DateTime.UtcNow.AddSeconds(60);
    // Preflight waits for first health reports, which arrive within one interval of connecting.
    while (!(planned = await client.PlanAsync(plan)).PreflightOk && DateTime.UtcNow < deadline)
    {
        await Task.Delay(500);
    }

    if (!planned.PreflightOk)
    {
        throw new InvalidOperationException("noop preflight failed: " + string.Join("; ", planned.Preflight));
    }

    var start = new StartRunRequest { Runbook = "noop", PlanHash = planned.Hash };
    start.Parameters.Add(plan.Parameters);
    var run = await client.StartRunAsync(start);
    while (run.State is not (RunState.Succeeded or RunState.SucceededWithFailures or RunState.Failed or RunState.Aborted))
    {
        await Task.Delay(250);
        run = await client.GetRunAsync(new GetRunRequest { RunId = run.RunId });
    }

    return run;
}

// A noop campaign over every cluster (sleep 0: all of it is overhead): canary 1, then at most `parallel` clusters at
// once. The ideal critical path of sleep-0 steps is zero, so the wall time is the overhead.
static async Task CampaignFiguresAsync(Operator.OperatorClient client, int coordinatorPid, int clusters, int parallel)
{
    var options = new CampaignOptions { Clusters = { "all" }, Canary = 1, Parallel = (uint)parallel, FailureBudget = 1 };
    var request = new PlanCampaignRequest { Runbook = "noop", Options = options };
    request.Parameters.Add("sleep_ms", "0");
    var clock = Stopwatch.StartNew();
    var plan = await client.PlanCampaignAsync(request);
    Figure("campaign_plan_ms", clock.Elapsed.TotalMilliseconds);
    Figure("campaign_clusters", plan.Clusters.Count);
    Figure("campaign_waves", plan.Waves);
    var cpuBefore = CpuTime(coordinatorPid);
    var ownCpuBefore = CpuTime(Environment.ProcessId);
    var peakRss = 0L;
    clock.Restart();
    var started = await client.StartCampaignAsync(new StartCampaignRequest
    {
        Runbook = "noop", Options = options, Parameters = { request.Parameters }, CampaignHash = plan.CampaignHash,
    });
    var status = started;
    while (status.State is not (RunState.Succeeded or RunState.SucceededWithFailures or RunState.Failed or RunState.Aborted))
    {
        await Task.Delay(250);
        peakRss = Math.Max(peakRss, RssKiB(coordinatorPid));
        status = await client.GetCampaignAsync(new GetCampaignRequest { CampaignId = started.CampaignId });
    }

    var wall = clock.Elapsed;
    var coordinatorCpu = CpuTime(coordinatorPid) - cpuBefore;
    var swarmCpu = CpuTime(Environment.ProcessId) - ownCpuBefore;
    var nodeSteps = 3 * clusters;
    Figure("campaign_state", status.State.ToString());
    Figure("campaign_succeeded_clusters", status.Succeeded);
    Figure("campaign_failed_clusters", status.Failed);
    Figure("campaign_wall_s", wall.TotalSeconds);
    Figure("campaign_ideal_critical_path_s", 0.0);
    Figure("campaign_node_steps", nodeSteps);
    // Wall time over node-steps, as run_overhead_ms_per_node_step (the critical path of sleep-0 steps is 0).
    Figure("campaign_overhead_ms_per_node_step", wall.TotalMilliseconds / nodeSteps);
    Figure("campaign_wall_ms_per_cluster", wall.TotalMilliseconds / clusters);
    Figure("campaign_coordinator_cpu_ms_per_node_step", coordinatorCpu.TotalMilliseconds / nodeSteps);
    Figure("campaign_cpu_ms_per_node_step", (coordinatorCpu + swarmCpu).TotalMilliseconds / nodeSteps);
    Figure("campaign_coordinator_peak_rss_mib", peakRss / 1024.0);
    var runs = status.Clusters.Where(c => c.StartedAt is not null && c.FinishedAt is not null)
        .Select(c => (c.FinishedAt.ToDateTimeOffset() - c.StartedAt.ToDateTimeOffset()).TotalMilliseconds).Order().ToList();
    Figure("cluster_run_p50_ms", Percentile(runs, 0.5));
    Figure("cluster_run_p99_ms", Percentile(runs, 0.99));
}

static async Task<DateTimeOffset?> WaitForStaleAsync(Operator.OperatorClient client, string node, TimeSpan timeout)
{
    var deadline = DateTimeOffset.UtcNow + timeout;
    while (DateTimeOffset.UtcNow < deadline)
    {
        var request = new ListNodesRequest();
        do
        {
            var page = await client.ListNodesAsync(request);
            if (page.Nodes.FirstOrDefault(n => n.Name == node) is { } found)
            {
                if (found.Stale || !found.Connected)
                {
                    return DateTimeOffset.UtcNow;
                }

                break;
            }

            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        await Task.Delay(500);
    }

    return null;
}

static long OpenFileLimit()
{
    var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
    var soft = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[3];
    return long.TryParse(soft, CultureInfo.InvariantCulture, out var value) ? value : long.MaxValue;
}

// The 1-minute load average: the machine is shared, so figures are printed with the load they were taken under.
static double LoadAverage() => double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

static long RssKiB(int pid) => File.ReadLines($"/proc/{pid}/status")
    .Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
    .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture))
    .FirstOrDefault();

// utime + stime in clock ticks (USER_HZ = 100 on Linux); fields counted after the command name's closing ')'.
static TimeSpan CpuTime(int pid)
{
    var stat = File.ReadAllText($"/proc/{pid}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return TimeSpan.FromSeconds((long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0);
}
