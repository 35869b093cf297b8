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
    private readonly TimerRecordingTimeProvider _time = new();
    private readonly IdleFootprintService _service;
    private int _releases;
    private long _resident = 40L * 1024 * 1024;

    public IdleFootprintServiceTests()
    {
        _dispatcher = new StepDispatcher(_executor, new AgentOutbox(new LastStepTracker()), NullLogger<StepDispatcher>.Instance);
        _service = new IdleFootprintService(_monitor, _dispatcher, _time, NullLogger<IdleFootprintService>.Instance,
            () => Interlocked.Increment(ref _releases), () => Interlocked.Read(ref _resident));
    }

    [Fact]
    public async Task Connected_AfterTheSettleDelay_ReleasesOnce()
    {
        await StartIdleAsync();

        _monitor.Set(ConnectionState.Connected, "https://coordinator:7443");
        _monitor.Set(ConnectionState.Connecting, "blip");
        _monitor.Set(ConnectionState.Connected, "https://coordinator:7443");
        await SettlingAsync();
        _time.Advance(IdleFootprintService.SettleDelay / 2);
        var early = Volatile.Read(ref _releases);
        _time.Advance(IdleFootprintService.SettleDelay / 2);
        await IdleAsync();
        _time.Advance(IdleFootprintService.SettleDelay + TimeSpan.FromSeconds(1));

        Assert.Equal(0, early);
        Assert.Equal(1, Volatile.Read(ref _releases)); // two connects while settling: one release
    }

    [Fact]
    public async Task StepRunning_NothingReleasedUntilTheLastStepEnds()
    {
        await StartIdleAsync();
        _dispatcher.Start(new StepCommand { RunId = "run-1", StepId = "step-1", Action = new V1.Action { NoOp = new NoOp() } });
        await WaitForAsync(() => _executor.Started);

        _monitor.Set(ConnectionState.Connected, "https://coordinator:7443");
        await SettlingAsync();
        _time.Advance(IdleFootprintService.SettleDelay + TimeSpan.FromSeconds(1));
        await IdleAsync();
        var whileRunning = Volatile.Read(ref _releases);
        _executor.Finish();
        await SettlingAsync();
        _time.Advance(IdleFootprintService.SettleDelay);
        await WaitForAsync(() => Volatile.Read(ref _releases) > 0);

        Assert.Equal(0, whileRunning);
        Assert.Equal(1, Volatile.Read(ref _releases));
    }

    [Fact]
    public async Task IdleAndRegrownByTheThreshold_ReleasesAgainAtTheNextRecheck()
    {
        await StartConnectedAndReleasedAsync();

        Interlocked.Add(ref _resident, IdleFootprintService.RegrowthThreshold - 1);
        await RecheckAsync();
        var belowThreshold = Volatile.Read(ref _releases);
        Interlocked.Increment(ref _resident);
        await RecheckAsync();
        var atThreshold = Volatile.Read(ref _releases);
        await RecheckAsync(); // the new baseline is the regrown figure: no release after release

        Assert.Equal(1, belowThreshold);
        Assert.Equal(2, atThreshold);
        Assert.Equal(2, Volatile.Read(ref _releases));
    }

    [Fact]
    public async Task RegrownWhileAStepRuns_NoReleaseUntilTheStepEnds()
    {
        await StartConnectedAndReleasedAsync();
        _dispatcher.Start(new StepCommand { RunId = "run-1", StepId = "step-1", Action = new V1.Action { NoOp = new NoOp() } });
        await WaitForAsync(() => _executor.Started);

        Interlocked.Add(ref _resident, 2 * IdleFootprintService.RegrowthThreshold);
        await RecheckAsync();
        var whileRunning = Volatile.Read(ref _releases);
        _executor.Finish();
        await SettlingAsync();
        _time.Advance(IdleFootprintService.SettleDelay);
        await WaitForAsync(() => Volatile.Read(ref _releases) == 2);

        Assert.Equal(1, whileRunning);
    }

    [Fact]
    public async Task NeverConnected_RechecksReleaseNothing()
    {
        await StartIdleAsync();

        Interlocked.Add(ref _resident, 2 * IdleFootprintService.RegrowthThreshold);
        await RecheckAsync();
        await RecheckAsync();

        Assert.Equal(0, Volatile.Read(ref _releases)); // no baseline yet: start-up memory is released on connect
    }

    // Virtual time: each helper waits until the service has started the wait it names before the test moves the clock.
    private async Task StartIdleAsync()
    {
        await _service.StartAsync(CancellationToken.None);
        await IdleAsync();
    }

    private async Task StartConnectedAndReleasedAsync()
    {
        await StartIdleAsync();
        _monitor.Set(ConnectionState.Connected, "https://coordinator:7443");
        await SettlingAsync();
        _time.Advance(IdleFootprintService.SettleDelay);
        await IdleAsync();
        Assert.Equal(1, Volatile.Read(ref _releases));
    }

    /// <summary>The service is idle, waiting for a wake-up or the recheck interval.</summary>
    private async Task IdleAsync() => Assert.Equal(IdleFootprintService.RecheckInterval, await _time.NextTimerAsync());

    /// <summary>The service was woken and waits out the settle delay.</summary>
    private async Task SettlingAsync() => Assert.Equal(IdleFootprintService.SettleDelay, await _time.NextTimerAsync());

    /// <summary>One recheck interval passes; returns once the service is idle again.</summary>
    private async Task RecheckAsync()
    {
        _time.Advance(IdleFootprintService.RecheckInterval);
        await IdleAsync();
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
