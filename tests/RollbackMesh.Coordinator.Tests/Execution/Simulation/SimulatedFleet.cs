using Microsoft.Extensions.Logging.Abstractions;
using RollbackMesh.Coordinator.Audit;
using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Fleet;
using RollbackMesh.Coordinator.Metrics;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Storage;
using Xunit;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Tests.Execution.Simulation;

/// <summary>
/// A coordinator (real store in a temporary SQLite file, registry, hub, executor) and simulated agents connected to
/// it. <see cref="RestartCoordinatorAsync"/> drops the coordinator without recording anything (as a crash would),
/// opens the same file again and lets the agents reconnect.
/// </summary>
internal sealed class SimulatedFleet : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rollbackmesh-exec-").FullName;
    private readonly Timer _healthPump;

    public SimulatedFleet(IEnumerable<SimulatedAgent> agents, ExecutorOptions? options = null)
    {
        Agents = agents.ToDictionary(a => a.Name);
        // Agents report health periodically as well as after each step (the real interval is 10 s).
        _healthPump = new Timer(_ => ReportAllHealth(), null, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(200));
        Options = options ?? new ExecutorOptions
        {
            QuarantinePath = "/var/lib/rollbackmesh/quarantine",
            TimeoutGrace = TimeSpan.FromMilliseconds(200),
            GatePollInterval = TimeSpan.FromMilliseconds(20),
            ReconnectTimeout = TimeSpan.FromSeconds(2),
            JournalTimeout = TimeSpan.FromSeconds(2),
        };
    }

    public Dictionary<string, SimulatedAgent> Agents { get; }

    public ExecutorOptions Options { get; }

    public string DatabasePath => Path.Combine(_directory, "coordinator.db");

    public CoordinatorStore Store { get; private set; } = null!;

    public FleetRegistry Registry { get; private set; } = null!;

    /// <summary>Where the hub posts agent events (the runs' inboxes); new at each restart.</summary>
    public RunInboxes Runs { get; private set; } = null!;

    public AgentSessionHub Hub { get; private set; } = null!;

    public RunExecutor Executor { get; private set; } = null!;

    public AuditLog Audit { get; private set; } = null!;

    /// <summary>The coordinator's metrics, wired as the process wires them (hub and executor); new at each restart.</summary>
    public CoordinatorMetrics Metrics { get; private set; } = null!;

    public static async Task<SimulatedFleet> StartAsync(IEnumerable<SimulatedAgent> agents, ExecutorOptions? options = null)
    {
        var fleet = new SimulatedFleet(agents, options);
        await fleet.OpenCoordinatorAsync();
        return fleet;
    }

    public SimulatedAgent this[string name] => Agents[name];

    public async Task<RunSnapshot> RunToEndAsync(Plan plan, TimeSpan? within = null)
    {
        var started = await Executor.StartAsync(plan, "tester");
        await Executor.WaitAsync(started.Run.RunId).WaitAsync(within ?? TimeSpan.FromSeconds(30));
        return Executor.Get(started.Run.RunId);
    }

    /// <summary>Waits until <paramref name="condition"/> holds on the run, or fails the test after 10 s.</summary>
    public async Task<RunSnapshot> WaitForAsync(string runId, Func<RunSnapshot, bool> condition)
    {
        var giveUp = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var snapshot = Executor.Get(runId);
            if (condition(snapshot))
            {
                return snapshot;
            }

            Assert.True(DateTime.UtcNow < giveUp, $"Run {runId} never reached the expected state; it is {snapshot.Run.State}: {snapshot.Run.Message}");
            await Task.Delay(10);
        }
    }

    /// <summary>The coordinator stops hearing its agents, as a dying one would: their events no longer reach its runs.</summary>
    public void StopHearingAgents()
    {
        foreach (var driver in Runs.Drivers.ToList())
        {
            Runs.Close(driver);
        }
    }

    public async Task RestartCoordinatorAsync()
    {
        await Executor.DisposeAsync();
        await Store.DisposeAsync();
        await OpenCoordinatorAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _healthPump.DisposeAsync();
        await Executor.DisposeAsync();
        await Store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private void ReportAllHealth()
    {
        foreach (var agent in Agents.Values)
        {
            agent.ReportHealth();
        }
    }

    private async Task OpenCoordinatorAsync()
    {
        var fleetOptions = new FleetOptions();
        Store = CoordinatorStore.Open(DatabasePath);
        Registry = new FleetRegistry(fleetOptions, TimeProvider.System, Store);
        Metrics = new CoordinatorMetrics(Registry, Store);
        Runs = new RunInboxes(Store, TimeProvider.System, NullLogger<RunInboxes>.Instance);
        Hub = new AgentSessionHub(Registry, fleetOptions, TimeProvider.System, NullLogger<AgentSessionHub>.Instance, Runs, Metrics);
        Executor = new RunExecutor(Store, Registry, Hub, Options, TimeProvider.System, NullLogger<RunExecutor>.Instance, new StepTimings(Metrics), Runs);
        Audit = new AuditLog(Store, TimeProvider.System);
        foreach (var agent in Agents.Values)
        {
            await agent.ConnectAsync(Hub);
        }
    }
}
