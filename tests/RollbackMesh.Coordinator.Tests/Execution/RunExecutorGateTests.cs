using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Tests.Execution.Simulation;
using Xunit;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Tests.Execution;

public sealed class RunExecutorGateTests
{
    private static PlanGate Gate(string versionPattern, int timeoutMs = 2000) => new(
        [new GateCheck(GateCheckKind.NodesHealthy, "", ""), new GateCheck(GateCheckKind.UnitActive, "k3s.service", ""),
         new GateCheck(GateCheckKind.VersionMatches, "k3s", versionPattern)],
        TimeSpan.FromMilliseconds(timeoutMs));

    [Fact]
    public async Task Gate_AllChecksHold_NextPhaseRuns()
    {
        var agents = new[] { new SimulatedAgent("server1", "first-server"), new SimulatedAgent("agent1", "agent") };
        await using var fleet = await SimulatedFleet.StartAsync(agents);
        var plan = TestPlans.Create(
            TestPlans.Phase("first", ["server1"], ["restore"], gate: Gate(@"v1\.30\.\d+\+k3s\d+")),
            TestPlans.Phase("agents", ["agent1"], ["start"]));

        var result = await fleet.RunToEndAsync(plan);

        Assert.Equal(RunState.Succeeded, result.Run.State);
        Assert.Equal(1, fleet["agent1"].Executions["agents/agent1/start"]);
    }

    [Fact]
    public async Task Gate_VersionNeverMatches_TimesOutFailsAndNextPhaseNeverStarts()
    {
        var agents = new[] { new SimulatedAgent("server1", "first-server"), new SimulatedAgent("agent1", "agent") };
        await using var fleet = await SimulatedFleet.StartAsync(agents);
        var plan = TestPlans.Create(
            TestPlans.Phase("first", ["server1"], ["restore"], gate: Gate(@"v1\.29\.\d+\+k3s\d+", timeoutMs: 300)),
            TestPlans.Phase("agents", ["agent1"], ["start"]));

        var result = await fleet.RunToEndAsync(plan);

        Assert.Equal(RunState.Failed, result.Run.State);
        Assert.Contains("gate after phase first did not hold", result.Run.Message);
        Assert.Contains(@"server1: k3s is v1.30.0+k3s1, expected /v1\.29\.\d+\+k3s\d+/", result.Run.Message);
        Assert.Empty(fleet["agent1"].Commands);
        Assert.Equal(StepState.Pending, result.Steps.Single(s => s.Node == "agent1").State);
    }

    [Theory]
    [InlineData("v1.30.0+k3s10")]
    [InlineData("v1.30.0+k3s1-rc1")]
    [InlineData("v1.30.0+k3s1.0")]
    public async Task Gate_PatternOfOneReleaseAndAnotherReleaseReported_TimesOutNamingTheReportedVersion(string reported)
    {
        var server = new SimulatedAgent("server1", "first-server");
        server.Versions["k3s"] = reported;
        await using var fleet = await SimulatedFleet.StartAsync([server]);
        // What ${k3s_version:regex} gives for v1.30.0+k3s1.
        var plan = TestPlans.Create(TestPlans.Phase("first", ["server1"], ["restore"], gate: Gate(@"v1\.30\.0\+k3s1", timeoutMs: 300)));

        var result = await fleet.RunToEndAsync(plan);

        Assert.Equal(RunState.Failed, result.Run.State);
        Assert.Contains($@"server1: k3s is {reported}, expected /v1\.30\.0\+k3s1/", result.Run.Message);
    }

    [Fact]
    public async Task Gate_PatternOfOneReleaseAndThatReleaseReported_Passes()
    {
        await using var fleet = await SimulatedFleet.StartAsync([new SimulatedAgent("server1", "first-server")]);
        var plan = TestPlans.Create(TestPlans.Phase("first", ["server1"], ["restore"], gate: Gate(@"v1\.30\.0\+k3s1")));

        var result = await fleet.RunToEndAsync(plan);

        Assert.Equal(RunState.Succeeded, result.Run.State);
    }

    [Fact]
    public async Task Gate_PatternThatWouldEscapeTheAnchors_FailsAsInvalid()
    {
        await using var fleet = await SimulatedFleet.StartAsync([new SimulatedAgent("server1", "first-server")]);
        var plan = TestPlans.Create(TestPlans.Phase("first", ["server1"], ["restore"], gate: Gate("v1.29)|(k3s1", timeoutMs: 300)));

        var result = await fleet.RunToEndAsync(plan);

        Assert.Equal(RunState.Failed, result.Run.State);
        Assert.Contains("server1: version pattern /v1.29)|(k3s1/ is not a valid regular expression", result.Run.Message);
    }

    [Fact]
    public async Task Gate_NodeTurnsHealthyBeforeTimeout_Passes()
    {
        var server = new SimulatedAgent("server1", "first-server");
        server.Behavior = _ =>
        {
            server.Healthy = false;
            return StepBehavior.Ok();
        };
        await using var fleet = await SimulatedFleet.StartAsync([server]);
        var plan = TestPlans.Create(TestPlans.Phase("first", ["server1"], ["restart"], gate: Gate(".*", timeoutMs: 5000)));

        var started = await fleet.Executor.StartAsync(plan, "tester");
        await fleet.WaitForAsync(started.Run.RunId, s => s.Steps.All(x => x.State == StepState.Succeeded));
        await Task.Delay(200);
        Assert.Equal(RunState.Running, fleet.Executor.Get(started.Run.RunId).Run.State);
        server.Healthy = true;
        server.ReportHealth();
        await fleet.Executor.WaitAsync(started.Run.RunId).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(RunState.Succeeded, fleet.Executor.Get(started.Run.RunId).Run.State);
    }

    [Fact]
    public async Task Gate_UnitActiveWithBareName_MatchesTheReportedServiceUnit()
    {
        await using var fleet = await SimulatedFleet.StartAsync([new SimulatedAgent("server1", "first-server")]);
        var gate = new PlanGate([new GateCheck(GateCheckKind.UnitActive, "k3s", "")], TimeSpan.FromSeconds(2));
        var plan = TestPlans.Create(TestPlans.Phase("first", ["server1"], ["start"], gate: gate));

        var result = await fleet.RunToEndAsync(plan);

        Assert.Equal(RunState.Succeeded, result.Run.State);
    }

    [Fact]
    public async Task Gate_K3sStopped_NodesHealthyPassesButUnitActiveFailsNamingTheState()
    {
        var server = new SimulatedAgent("server1", "first-server") { K3sActiveState = "inactive" };
        await using var fleet = await SimulatedFleet.StartAsync([server]);
        var healthy = new PlanGate([new GateCheck(GateCheckKind.NodesHealthy, "", "")], TimeSpan.FromSeconds(2));
        var active = new PlanGate([new GateCheck(GateCheckKind.UnitActive, "k3s", "")], TimeSpan.FromMilliseconds(300));
        var plan = TestPlans.Create(
            TestPlans.Phase("stop", ["server1"], ["killall"], gate: healthy),
            TestPlans.Phase("start", ["server1"], ["start"], gate: active));

        var result = await fleet.RunToEndAsync(plan);

        Assert.Equal(RunState.Failed, result.Run.State);
        Assert.Contains("gate after phase start did not hold", result.Run.Message);
        Assert.Contains("server1: unit k3s is inactive/dead", result.Run.Message);
        Assert.DoesNotContain("gate after phase stop", result.Run.Message);
    }

    [Fact]
    public async Task Gate_UnitWithSettleTimeRestartedBySystemdBetweenReports_NeverPassesAndNamesTheRestarts()
    {
        // Active in every report, but systemd restarts it all the time (Restart=always): NRestarts grows with each report.
        var restarts = 0u;
        var agent = new SimulatedAgent("agent1", "agent") { K3sRestarts = () => Interlocked.Increment(ref restarts) };
        await using var fleet = await SimulatedFleet.StartAsync([agent]);
        var gate = new PlanGate([new GateCheck(GateCheckKind.UnitActive, "k3s", UnitSettling.Format(TimeSpan.FromMilliseconds(500)))], TimeSpan.FromSeconds(2));
        var plan = TestPlans.Create(
            TestPlans.Phase("start-agents", ["agent1"], ["start"], gate: gate),
            TestPlans.Phase("verify", ["agent1"], ["check"]));

        var result = await fleet.RunToEndAsync(plan);

        Assert.Equal(RunState.Failed, result.Run.State);
        Assert.Contains("gate after phase start-agents did not hold", result.Run.Message);
        Assert.Contains("agent1: unit k3s was restarted by systemd", result.Run.Message);
        Assert.DoesNotContain("agents/agent1/check", fleet["agent1"].Commands);
    }

    [Fact]
    public async Task Gate_UnitWithSettleTimeSteady_PassesOnlyAfterTheSettleTime()
    {
        var agent = new SimulatedAgent("agent1", "agent");
        await using var fleet = await SimulatedFleet.StartAsync([agent]);
        var settle = TimeSpan.FromMilliseconds(800);
        var gate = new PlanGate([new GateCheck(GateCheckKind.UnitActive, "k3s", UnitSettling.Format(settle))], TimeSpan.FromSeconds(10));
        var plan = TestPlans.Create(
            TestPlans.Phase("start-agents", ["agent1"], ["start"], gate: gate),
            TestPlans.Phase("verify", ["agent1"], ["check"]));

        var result = await fleet.RunToEndAsync(plan);

        Assert.True(result.Run.State == RunState.Succeeded, result.Run.Message);
        var started = result.Steps.Single(s => s.Name == "start").UpdatedAt;
        var next = result.Steps.Single(s => s.Name == "check").UpdatedAt;
        Assert.True(next - started >= settle, $"the next phase ran {next - started} after the start step; the unit had to settle for {settle}");
    }
}
