using RollbackMesh.Coordinator.Endpoints;
using RollbackMesh.Coordinator.Fleet;
using RollbackMesh.Coordinator.Operators;
using RollbackMesh.Coordinator.Tests.Hosting;
using Grpc.Core;
using RollbackMesh.V1;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Endpoints;

public sealed class OperatorEndpointsTests : IAsyncLifetime
{
    private TestCoordinator _coordinator = null!;

    public async Task InitializeAsync() => _coordinator = await TestCoordinator.StartAsync(settings =>
    {
        settings.Executor.GatePollInterval = TimeSpan.FromMilliseconds(20);
        settings.Executor.JournalTimeout = TimeSpan.FromSeconds(2);
    });

    public async Task DisposeAsync() => await _coordinator.DisposeAsync();

    [Theory]
    [InlineData((int)OperatorErrorCode.InvalidArgument, StatusCode.InvalidArgument)]
    [InlineData((int)OperatorErrorCode.NotFound, StatusCode.NotFound)]
    [InlineData((int)OperatorErrorCode.FailedPrecondition, StatusCode.FailedPrecondition)]
    public void ToStatusCode_EachOperatorCode_SameNamedStatus(int code, StatusCode expected) =>
        Assert.Equal(expected, OperatorEndpoints.ToStatusCode((OperatorErrorCode)code));

    [Fact]
    public async Task GetRun_UnknownRun_NotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new Operator.OperatorClient(_coordinator.Channel).GetRunAsync(new GetRunRequest { RunId = "run-missing" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("run-missing", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pause_NoRunId_InvalidArgument()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new Operator.OperatorClient(_coordinator.Channel).PauseAsync(new RunControlRequest()).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task Plan_UnknownRunbook_NotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new Operator.OperatorClient(_coordinator.Channel).PlanAsync(new PlanRequest { Runbook = "no-such-runbook" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("noop", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_BadParameter_InvalidArgument()
    {
        var request = new PlanRequest { Runbook = "noop" };
        request.Parameters.Add("sleep_ms", "soon");

        var error = await Assert.ThrowsAsync<RpcException>(() => new Operator.OperatorClient(_coordinator.Channel).PlanAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("sleep_ms", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_NoServerInFleet_FailedPrecondition()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new Operator.OperatorClient(_coordinator.Channel).PlanAsync(new PlanRequest { Runbook = "noop" }).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
    }

    [Fact]
    public async Task StartRun_StaleHash_FailedPreconditionAndAudited()
    {
        await using var agent = await ConnectHealthyAsync("server-1", "server", "first-server");

        var request = new StartRunRequest { Runbook = "noop", PlanHash = "0000" };
        var error = await Assert.ThrowsAsync<RpcException>(() => new Operator.OperatorClient(_coordinator.Channel).StartRunAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        var history = await new Operator.OperatorClient(_coordinator.Channel).HistoryAsync(new HistoryRequest());
        var refused = Assert.Single(history.Entries, e => e.What == "run.start_refused");
        Assert.Equal("insecure-operator", refused.Who);
    }

    [Fact]
    public async Task PlanThenStartRun_AgentsAnswer_RunSucceedsAndWatchEndsWithIt()
    {
        await using var agent = await ConnectHealthyAsync("server-1", "server", "first-server");
        using var answering = new CancellationTokenSource();
        var answers = agent.AnswerStepsAsync(answering.Token);

        var plan = await new Operator.OperatorClient(_coordinator.Channel).PlanAsync(new PlanRequest { Runbook = "noop" });
        Assert.True(plan.PreflightOk, string.Join("\n", plan.Preflight));
        var started = await new Operator.OperatorClient(_coordinator.Channel).StartRunAsync(new StartRunRequest { Runbook = "noop", PlanHash = plan.Hash });
        using var watch = new Operator.OperatorClient(_coordinator.Channel).WatchRun(new GetRunRequest { RunId = started.RunId });
        var states = new List<RunState>();
        await foreach (var change in watch.ResponseStream.ReadAllAsync().WithCancellation(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token))
        {
            states.Add(change.Status.State);
        }

        Assert.Equal(RunState.Succeeded, states[^1]);
        var run = await new Operator.OperatorClient(_coordinator.Channel).GetRunAsync(new GetRunRequest { RunId = started.RunId });
        Assert.Equal(RunState.Succeeded, run.State);
        Assert.All(run.Steps, s => Assert.Equal(StepState.Succeeded, s.State));
        await answering.CancelAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => answers);
    }

    private async Task<TestAgent> ConnectHealthyAsync(string name, params string[] roles)
    {
        var agent = await TestAgent.ConnectAsync(_coordinator.Channel, name, roles);
        Assert.True(await agent.Incoming.MoveNext());
        await agent.SendHealthyAsync();
        var registry = _coordinator.Get<FleetRegistry>();
        await AgentHubEndpointTests.WaitUntilAsync(() => registry.Get(name)?.IsHealthy == true);
        return agent;
    }
}
