using RollbackMesh.Agent.Actions.Services;
using RollbackMesh.Agent.Steps;
using RollbackMesh.Agent.Systemd;
using RollbackMesh.Agent.Tests.Testbeds;
using V1 = RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Actions.Services;

/// <summary>
/// Service steps end to end: StepRunner → ServiceControlAction → SystemdServiceController → SystemdConnection → a real systemd 252
/// user manager (<see cref="SystemdUserFixture"/>, units from <c>SystemdTestUnits</c>). Each test uses its own units.
/// </summary>
public sealed class ServiceStepSystemdTests(SystemdUserFixture systemd) : IClassFixture<SystemdUserFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private SystemdConnection _connection = null!;
    private SystemdManager _manager = null!;
    private AgentHarness _h = null!;
    private StepRunner _runner = null!;
    private IDisposable _journal = null!;

    public async Task InitializeAsync()
    {
        _connection = new SystemdConnection(systemd.BusAddress, TimeProvider.System);
        _manager = await _connection.GetManagerAsync(Cancel());
        _h = new AgentHarness(o => o with { ServiceJobTimeout = TimeSpan.FromSeconds(20) }, new SystemdServiceController(_connection));
        (_runner, var journal) = _h.Runner();
        _journal = journal;
    }

    public Task DisposeAsync()
    {
        _journal.Dispose();
        _h.Dispose();
        _connection.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task RunAsync_StartStoppedUnit_SucceededVerifiedAndActiveRunning()
    {
        var result = await RunAsync("rbm-start.service", V1.ServiceOperation.Start);

        Assert.Equal(V1.StepState.Succeeded, result.State);
        Assert.True(result.Verified);
        Assert.Equal("start rbm-start.service: done", result.Summary);
        Assert.Equal(("active", "running"), await StateAsync("rbm-start.service"));
    }

    [Fact]
    public async Task RunAsync_StartAlreadyActiveUnit_SkippedAlreadyDoneWithoutAJob()
    {
        await _manager.StartUnitAsync("rbm-par1.service", Timeout, Cancel());
        var pid = await MainPidAsync("rbm-par1.service");

        var result = await RunAsync("rbm-par1.service", V1.ServiceOperation.Start);

        Assert.Equal(V1.StepState.Skipped, result.State);
        Assert.True(result.AlreadyDone);
        Assert.Equal("already done: nothing to do", result.Summary);
        Assert.Equal(pid, await MainPidAsync("rbm-par1.service"));
    }

    [Fact]
    public async Task RunAsync_StopRunningUnit_SucceededAndInactiveDead_ThenRepeatIsSkipped()
    {
        await _manager.StartUnitAsync("rbm-stop.service", Timeout, Cancel());

        var result = await RunAsync("rbm-stop.service", V1.ServiceOperation.Stop);
        var repeat = await RunAsync("rbm-stop.service", V1.ServiceOperation.Stop, step: "step-2");

        Assert.Equal(V1.StepState.Succeeded, result.State);
        Assert.True(result.Verified);
        Assert.Equal(("inactive", "dead"), await StateAsync("rbm-stop.service"));
        Assert.Equal(V1.StepState.Skipped, repeat.State);
        Assert.True(repeat.AlreadyDone);
    }

    [Fact]
    public async Task RunAsync_RestartRunningUnit_NewMainProcessAndActiveRunning()
    {
        await _manager.StartUnitAsync("rbm-restart.service", Timeout, Cancel());
        var before = await MainPidAsync("rbm-restart.service");

        var result = await RunAsync("rbm-restart.service", V1.ServiceOperation.Restart);

        Assert.Equal(V1.StepState.Succeeded, result.State);
        Assert.True(result.Verified);
        var after = await MainPidAsync("rbm-restart.service");
        Assert.NotEqual(0u, after);
        Assert.NotEqual(before, after);
        Assert.Equal(("active", "running"), await StateAsync("rbm-restart.service"));
    }

    [Fact]
    public async Task RunAsync_RestartStoppedUnit_StartsIt()
    {
        Assert.Equal(("inactive", "dead"), await StateAsync("rbm-state.service"));

        var result = await RunAsync("rbm-state.service", V1.ServiceOperation.Restart);

        Assert.Equal(V1.StepState.Succeeded, result.State);
        Assert.Equal(("active", "running"), await StateAsync("rbm-state.service"));
    }

    [Fact]
    public async Task RunAsync_StartOneshotExitingNonZero_FailedNamingTheJobResult()
    {
        var updates = new List<V1.StepUpdate>();

        var result = await RunAsync("rbm-fail.service", V1.ServiceOperation.Start, onUpdate: updates.Add);

        Assert.Equal(V1.StepState.Failed, result.State);
        Assert.Equal("start rbm-fail.service: job result failed", result.Error);
        Assert.False(result.Verified);
        Assert.Contains(updates, u => u.OutputChunk.Contains("start rbm-fail.service: job failed", StringComparison.Ordinal));
        Assert.Equal(("failed", "failed"), await StateAsync("rbm-fail.service"));
    }

    [Fact]
    public async Task RunAsync_BareUnitName_StartsTheServiceUnitAsSystemctlDoes()
    {
        var result = await RunAsync("rbm-par3", V1.ServiceOperation.Start);

        Assert.Equal(V1.StepState.Succeeded, result.State);
        Assert.True(result.Verified);
        Assert.Equal("start rbm-par3.service: done", result.Summary);
        Assert.Equal(("active", "running"), await StateAsync("rbm-par3.service"));
    }

    [Theory]
    [InlineData(V1.ServiceOperation.Start)]
    [InlineData(V1.ServiceOperation.Restart)]
    [InlineData(V1.ServiceOperation.Stop)]
    public async Task RunAsync_UnknownUnit_FailedNamingTheUnit(V1.ServiceOperation operation)
    {
        var result = await RunAsync("rbm-missing.service", operation);

        Assert.Equal(V1.StepState.Failed, result.State);
        Assert.Contains("rbm-missing.service", result.Error, StringComparison.Ordinal);
        Assert.Contains("no unit", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rbm-start.service --user")]
    [InlineData("../../etc/passwd")]
    [InlineData("rbm start")]
    [InlineData("rbm-start.device")]
    [InlineData("")]
    public async Task RunAsync_InvalidUnitName_RefusedWithoutTouchingSystemd(string unit)
    {
        var result = await RunAsync(unit, V1.ServiceOperation.Start);

        Assert.Equal(V1.StepState.Refused, result.State);
        Assert.Contains("unit", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_StartSlowerThanTheAgentDefault_WaitsUntilTheStepDeadline()
    {
        // The agent's own job timeout (1 s here) applies only to steps without a deadline; this unit needs ~3 s to start.
        using var harness = new AgentHarness(o => o with { ServiceJobTimeout = TimeSpan.FromSeconds(1) }, new SystemdServiceController(_connection));
        var (runner, journal) = harness.Runner();
        using var _ = journal;
        var command = Command("rbm-slow-start.service", V1.ServiceOperation.Start, "step-deadline");
        command.Deadline = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddSeconds(25));

        var result = await runner.RunAsync(command, _ => { }, Cancel());

        Assert.Equal(V1.StepState.Succeeded, result.State);
        Assert.Equal(("active", "exited"), await StateAsync("rbm-slow-start.service"));
    }

    [Fact]
    public async Task RunAsync_DryRunRestart_DescribesAndLeavesTheSameProcessRunning()
    {
        await _manager.StartUnitAsync("rbm-par2.service", Timeout, Cancel());
        var pid = await MainPidAsync("rbm-par2.service");
        var command = Command("rbm-par2.service", V1.ServiceOperation.Restart, "step-dry");
        command.DryRun = true;

        var dry = await _runner.RunAsync(command, _ => { }, Cancel());

        Assert.Equal(V1.StepState.Succeeded, dry.State);
        Assert.Equal("systemctl restart rbm-par2.service (via D-Bus, wait for the job)", dry.DryRun);
        Assert.Equal(pid, await MainPidAsync("rbm-par2.service"));
    }

    private static V1.StepCommand Command(string unit, V1.ServiceOperation operation, string step) => new()
    {
        RunId = "run-service",
        StepId = step,
        Action = new V1.Action { Service = new V1.ServiceControl { Unit = unit, Operation = operation } },
    };

    private Task<V1.StepResult> RunAsync(string unit, V1.ServiceOperation operation, string step = "step-1", Action<V1.StepUpdate>? onUpdate = null) =>
        _runner.RunAsync(Command(unit, operation, step), onUpdate ?? (_ => { }), Cancel());

    private async Task<(string Active, string Sub)> StateAsync(string unit)
    {
        var state = await _manager.GetUnitStateAsync(unit, Cancel());
        return (state.ActiveState, state.SubState);
    }

    private async Task<uint> MainPidAsync(string unit)
    {
        var path = await _manager.LoadUnitAsync(unit, Cancel());
        return await _manager.GetPropertyAsync(path, SystemdManager.ServiceInterface, "MainPID", static v => v.GetUInt32(), Cancel());
    }

    private static CancellationToken Cancel() => new CancellationTokenSource(Timeout).Token;
}
