using System.Runtime.CompilerServices;
using Grpc.Core;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using RollbackMesh.Agent.Configuration;
using RollbackMesh.Agent.Connection;
using RollbackMesh.Agent.Health;
using RollbackMesh.Agent.Hosting;
using RollbackMesh.Agent.Processes;
using RollbackMesh.V1;
using Xunit.Abstractions;

namespace RollbackMesh.Agent.Tests.Connection;

/// <summary>
/// The agent's side of a reconnect storm (issue 16 item 3), in virtual time: the real <see cref="AgentConnectionService"/>
/// loop over a <see cref="FakeTimeProvider"/> (exponential ceilings, the cap, the reset after a healthy connection), and
/// the spread of 1,000 agents' schedules after they lose the coordinator together.
/// </summary>
public sealed class ReconnectScheduleTests(ITestOutputHelper output)
{
    private const int Agents = 1000;
    private static readonly TimeSpan Outage = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void FullJitter_1000AgentsLosingTheCoordinatorTogether_FirstRetriesSpreadEvenlyOverTheFirstCeiling()
    {
        var first = Schedules(seed => new Random(seed)).Select(s => s[0]).ToList();

        // Ten 100 ms slots of the first 1 s ceiling: about 100 each; lock step would put all 1,000 in one.
        var perSlot = first.GroupBy(t => (int)(t / Window)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Enumerable.Range(0, 10), perSlot.Keys.Order());
        Assert.All(perSlot.Values, n => Assert.InRange(n, 60, 140));
    }

    [Fact]
    public void FullJitter_1000AgentsRetryingThroughATwoMinuteOutage_NoWindowHoldsAHerd()
    {
        var jittered = PeakPerWindow(Schedules(seed => new Random(seed)));
        var lockStep = PeakPerWindow(Schedules(_ => new FixedRandom(0.999999)));

        // Without jitter every agent retries in the same instant, at every attempt; with it no 100 ms window sees more
        // than a small fraction of the fleet.
        Assert.Equal(Agents, lockStep);
        Assert.InRange(jittered, 1, Agents / 4);
        output.WriteLine($"figure reconnect_peak_per_100ms_of_1000_agents {jittered}");
        output.WriteLine($"figure reconnect_peak_per_100ms_of_1000_agents_lock_step {lockStep}");
    }

    [Fact]
    public void FullJitter_ThroughATwoMinuteOutage_DelaysStayUnderTheCapAndAverageHalfOfIt()
    {
        var delays = Schedules(seed => new Random(seed))
            .SelectMany(s => s.Zip(s.Skip(1), (a, b) => b - a))
            .ToList();

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, ReconnectBackoff.DefaultMaximum));
        // Past the 5th attempt the ceiling is capped at 30 s: uniform below it, so the mean is near 15 s.
        var capped = Schedules(seed => new Random(seed)).SelectMany(s => s.Skip(6).Zip(s.Skip(7), (a, b) => (b - a).TotalSeconds)).ToList();
        Assert.InRange(capped.Average(), 13.5, 16.5);
    }

    [Fact]
    public async Task ExecuteAsync_CoordinatorDown_WaitsDoublingCeilingsUpToTheCapInVirtualTime()
    {
        var time = new TimerRecordingTimeProvider();
        var connector = new ScriptedConnector(_ => throw new RpcException(new Status(StatusCode.Unavailable, "connection refused")));
        using var service = CreateService(connector, time, new ReconnectBackoff(ReconnectBackoff.DefaultInitial, ReconnectBackoff.DefaultMaximum, new FixedRandom(0.999999)));

        await service.StartAsync(CancellationToken.None);
        var waits = new List<double>();
        for (var attempt = 1; attempt <= 8; attempt++)
        {
            await connector.WaitForAttemptsAsync(attempt);
            var wait = await time.NextTimerAsync();
            waits.Add(Math.Round(wait.TotalSeconds));
            time.Advance(wait);
        }

        await connector.WaitForAttemptsAsync(9);
        await service.StopAsync(CancellationToken.None);
        Assert.Equal([1, 2, 4, 8, 16, 30, 30, 30], waits);
    }

    [Theory]
    [InlineData(31, 1)] // healthy: open longer than the 30 s cap, so the next wait starts over at the 1 s ceiling
    [InlineData(5, 8)] // dropped after 5 s: the fleet may be flapping, so the backoff keeps growing (1, 2, 4, then 8)
    public async Task ExecuteAsync_ConnectionEnds_BackoffResetOnlyAfterAHealthyConnection(int openSeconds, int nextCeiling)
    {
        var time = new TimerRecordingTimeProvider();
        var stream = new DroppableStream();
        var connector = new ScriptedConnector(attempt => attempt == 4
            ? stream
            : throw new RpcException(new Status(StatusCode.Unavailable, "connection refused")));
        var monitor = new ConnectionMonitor();
        using var service = CreateService(connector, time, new ReconnectBackoff(ReconnectBackoff.DefaultInitial, ReconnectBackoff.DefaultMaximum, new FixedRandom(0.999999)), monitor);

        await service.StartAsync(CancellationToken.None);
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await connector.WaitForAttemptsAsync(attempt);
            time.Advance(await time.NextTimerAsync());
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (monitor.Current.State != ConnectionState.Connected)
        {
            Assert.True(DateTime.UtcNow < deadline, "the session never connected");
            await Task.Delay(2);
        }

        time.Advance(TimeSpan.FromSeconds(openSeconds));
        stream.Drop();
        var next = await time.NextTimerAsync();
        await service.StopAsync(CancellationToken.None);

        Assert.Equal(nextCeiling, Math.Round(next.TotalSeconds));
    }

    /// <summary>Each agent's attempt times (from the moment the coordinator went away) during <see cref="Outage"/>.</summary>
    private static List<List<TimeSpan>> Schedules(Func<int, Random> random) =>
        [.. Enumerable.Range(0, Agents).Select(seed =>
        {
            var backoff = new ReconnectBackoff(ReconnectBackoff.DefaultInitial, ReconnectBackoff.DefaultMaximum, random(seed));
            var attempts = new List<TimeSpan>();
            for (var at = backoff.NextDelay(); at < Outage; at += backoff.NextDelay())
            {
                attempts.Add(at);
            }

            return attempts;
        })];

    /// <summary>The most attempts the fleet makes within one <see cref="Window"/>, over the whole outage.</summary>
    private static int PeakPerWindow(List<List<TimeSpan>> schedules) =>
        schedules.SelectMany(s => s).GroupBy(t => (long)(t / Window)).Max(g => g.Count());

    private static AgentConnectionService CreateService(IHubConnector connector, TimeProvider time, ReconnectBackoff backoff, ConnectionMonitor? monitor = null)
    {
        // Health runs on the real clock with a long interval: only the connection loop's waits are on the fake one.
        var options = new AgentOptions { Roles = ["agent"], HealthInterval = "1h" };
        var lastStep = new LastStepTracker();
        var outbox = new AgentOutbox(lastStep);
        var executor = new NoSteps();
        var collector = HealthCollector.Create(options, new ActiveUnits(), new ToolRunner(), lastStep, TimeProvider.System);
        var session = new HubSession(new HelloFactory(options, executor), new EmptyJournal(),
            new HealthReporter(collector, lastStep, TimeProvider.System, NullLogger<HealthReporter>.Instance),
            new StepDispatcher(executor, outbox, NullLogger<StepDispatcher>.Instance), outbox, NullLogger<HubSession>.Instance);
        return new AgentConnectionService(connector, session, backoff, monitor ?? new ConnectionMonitor(), time, Options.Create(options), new AgentFailure(),
            NullLogger<AgentConnectionService>.Instance);
    }

    private sealed class ScriptedConnector(Func<int, IHubStream> connect) : IHubConnector
    {
        private int _attempts;

        public string Address => "http://127.0.0.1:1";

        public Task<IHubStream> ConnectAsync(CancellationToken cancellationToken)
        {
            try
            {
                return Task.FromResult(connect(Interlocked.Increment(ref _attempts)));
            }
            catch (Exception ex)
            {
                return Task.FromException<IHubStream>(ex);
            }
        }

        public async Task WaitForAttemptsAsync(int count)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (Volatile.Read(ref _attempts) < count)
            {
                Assert.True(DateTime.UtcNow < deadline, $"expected {count} attempts, saw {_attempts}");
                await Task.Delay(2);
            }
        }
    }

    /// <summary>A stream the coordinator answers at once and that breaks (UNAVAILABLE) when the test drops it.</summary>
    private sealed class DroppableStream : IHubStream
    {
        private readonly TaskCompletionSource _dropped = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public void Drop() => _dropped.TrySetResult();

        public Task WaitConnectedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task WriteAsync(AgentMessage message, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task CompleteAsync() => Task.CompletedTask;

        public async IAsyncEnumerable<CoordinatorMessage> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await _dropped.Task.WaitAsync(cancellationToken);
            yield return new CoordinatorMessage { HelloAck = new HelloAck() };
            throw new RpcException(new Status(StatusCode.Unavailable, "stream reset"));
        }

        public void Dispose()
        {
        }
    }

    // The coordinator side here sends no steps and no journal queries.
    private sealed class NoSteps : IStepExecutor
    {
        public IReadOnlyList<string> SupportedActionKinds => [];

        public Task ExecuteAsync(StepCommand command, Func<StepUpdate, CancellationToken, ValueTask> report, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("no steps");

        public bool Cancel(string runId, string stepId) => false;
    }

    private sealed class EmptyJournal : IJournalReader
    {
        public Task<JournalReport> QueryAsync(string runId, CancellationToken cancellationToken) => Task.FromResult(new JournalReport());

        public Task<JournalReport> RecentAsync(CancellationToken cancellationToken) => Task.FromResult(new JournalReport());
    }

    private sealed class ActiveUnits : IUnitStateReader
    {
        public Task<UnitStatus> ReadAsync(string unit, CancellationToken cancellationToken) => Task.FromResult(new UnitStatus(unit, "active", "running"));
    }
}
