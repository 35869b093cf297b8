using Microsoft.Extensions.Logging.Abstractions;
using RollbackMesh.Agent.Connection;
using RollbackMesh.Agent.Health;
using RollbackMesh.Agent.Memory;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Memory;

/// <summary>
/// Memory is given back once the agent is idle: after connecting, after its last step ends, and again when idle memory
/// has regrown; never mid-step.
/// </summary>
public sealed class IdleFootprintServiceTests : IAsyncDisposable
{
    private readonly ConnectionMonitor _monitor = new();
    private readonly BlockingExecutor _executor = new();
    private readonly StepDispatcher _dispatcher;
    private readonly IdleFootprintService _service;
    private static readonly TimeSpan TestRecheckInterval = TimeSpan.FromMilliseconds(200);
    private int _releases;
    private long _resident = 40L * 1024 * 1024;

    public IdleFootprintServiceTests()
    {
        _dispatcher = new StepDispatcher(_executor, new AgentOutbox(new LastStepTracker()), NullLogger<StepDispatcher>.Instance);
        _service = new IdleFootprintService(_monitor, _dispatcher, TimeProvider.System, NullLogger<IdleFootprintService>.Instance,
            () => Interlocked.Increment(ref _releases), () => Interlocked.Read(ref _resident), TestRecheckInterval);
    }

    [Fact]
    public async Task Connected_AfterTheSettleDelay_ReleasesOnce()
    {
        await _service.StartAsync(CancellationToken.None);

        _monitor.Set(ConnectionState.Connected, "https://coordinator:7443");
        _monitor.Set(ConnectionState.Connecting, "blip");
        _monitor.Set(ConnectionState.Connected, "https://coordinator:7443");
        await Task.Delay(IdleFootprintService.SettleDelay / 2);
        var early = Volatile.Read(ref _releases);
        await WaitForAsync(() => Volatile.Read(ref _releases) > 0);
        await Task.Delay(IdleFootprintService.SettleDelay + TimeSpan.FromSeconds(1));

        Assert.Equal(0, early);
        Assert.Equal(1, Volatile.Read(ref _releases)); // two connects while settling: one release
    }

    [Fact]
    public async Task StepRunning_NothingReleasedUntilTheLastStepEnds()
    {
        await _service.StartAsync(CancellationToken.None);
        _dispatcher.Start(new StepCommand { RunId = "run-1", StepId = "step-1", Action = new V1.Action { NoOp = new NoOp() } });
        await WaitForAsync(() => _executor.Started);

        _monitor.Set(ConnectionState.Connected, "https://coordinator:7443");
        await Task.Delay(IdleFootprintService.SettleDelay + TimeSpan.FromSeconds(1));
        var whileRunning = Volatile.Read(ref _releases);
        _executor.Finish();
        await WaitForAsync(() => Volatile.Read(ref _releases) > 0);

        Assert.Equal(0, whileRunning);
        Assert.Equal(1, Volatile.Read(ref _releases));
    }

    [Fact]
    public async Task IdleAndRegrownByTheThreshold_ReleasesAgainAtTheNextRecheck()
    {
        await _service.StartAsync(CancellationToken.None);
        _monitor.Set(ConnectionState.Connected, "https://coordinator:7443");
        await WaitForAsync(() => Volatile.Read(ref _releases) == 1);

        Interlocked.Add(ref _resident, IdleFootprintService.RegrowthThreshold - 1);
        await Task.Delay(TestRecheckInterval * 5);
        var belowThreshold = Volatile.Read(ref _releases);
        Interlocked.Increment(ref _resident);
        await WaitForAsync(() => Volatile.Read(ref _releases) == 2);
        await Task.Delay(TestRecheckInterval * 5); // the new baseline is the regrown figure: no release after release

        Assert.Equal(1, belowThreshold);
        Assert.Equal(2, Volatile.Read(ref _releases));
    }

    [Fact]
    public async Task RegrownWhileAStepRuns_NoReleaseUntilTheStepEnds()
    {
        await _service.StartAsync(CancellationToken.None);
        _monitor.Set(ConnectionState.Connected, "https://coordinator:7443");
        await WaitForAsync(() => Volatile.Read(ref _releases) == 1);
        _dispatcher.Start(new StepCommand { RunId = "run-1", StepId = "step-1", Action = new V1.Action { NoOp = new NoOp() } });
        await WaitForAsync(() => _executor.Started);

        Interlocked.Add(ref _resident, 2 * IdleFootprintService.RegrowthThreshold);
        await Task.Delay(TestRecheckInterval * 5);
        var whileRunning = Volatile.Read(ref _releases);
        _executor.Finish();
        await WaitForAsync(() => Volatile.Read(ref _releases) == 2);

        Assert.Equal(1, whileRunning);
    }

    [Fact]
    public async Task NeverConnected_RechecksReleaseNothing()
    {
        await _service.StartAsync(CancellationToken.None);

        Interlocked.Add(ref _resident, 2 * IdleFootprintService.RegrowthThreshold);
        await Task.Delay(TestRecheckInterval * 5);

        Assert.Equal(0, Volatile.Read(ref _releases)); // no baseline yet: start-up memory is released on connect
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 15 s");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _executor.Finish();
        await _service.StopAsync(CancellationToken.None);
        _service.Dispose();
        await _dispatcher.DisposeAsync();
    }

    private sealed class BlockingExecutor : IStepExecutor
    {
        private readonly TaskCompletionSource _finish = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Started { get; private set; }

        public IReadOnlyList<string> SupportedActionKinds => ["no_op"];

        public async Task ExecuteAsync(StepCommand command, Func<StepUpdate, CancellationToken, ValueTask> report, CancellationToken cancellationToken)
        {
            Started = true;
            await _finish.Task.WaitAsync(cancellationToken);
        }

        public bool Cancel(string runId, string stepId) => false;

        public void Finish() => _finish.TrySetResult();
    }
}
