using Google.Protobuf.WellKnownTypes;
using RollbackMesh.Cli.Output;
using RollbackMesh.V1;
using Spectre.Console.Testing;
using Xunit;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.Cli.Output;

/// <summary>
/// The terminal view of a followed run, rendered by Spectre.Console into a test console: counts per phase, failing
/// nodes by name first, long waits with their elapsed time, and a height that does not grow with the run.
/// </summary>
public sealed class LiveRunViewTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Render_TenThousandNodesWithFailures_FitsOneScreenAndNamesTheFailingNodesFirst()
    {
        var run = Run("agents");
        AddPhase(run, "first-server", 1, _ => StepState.Succeeded);
        AddPhase(run, "servers", 2, _ => StepState.Succeeded);
        // Agents: 38 failed (half of them timed out), 100 running, the rest done or waiting.
        AddPhase(run, "agents", 9_997, i => i % 270 == 5 ? (i % 540 == 5 ? StepState.TimedOut : StepState.Failed)
            : i < 6_000 ? StepState.Succeeded : i < 6_100 ? StepState.Running : StepState.Pending);

        var text = RenderToText(LiveRunView.Summarise(run, Now, []));
        var lines = text.Split('\n');
        output.WriteLine(text); // what a terminal shows, for a reviewer

        Assert.True(lines.Length <= 30, $"{lines.Length} lines:\n{text}");
        Assert.Contains("Failing nodes (38):", text, StringComparison.Ordinal);
        Assert.Contains("agent-00275: stop-k3s failed — exit 1", text, StringComparison.Ordinal);
        Assert.Contains("agent-00005: stop-k3s timed-out", text, StringComparison.Ordinal);
        Assert.Contains($"and {38 - LiveRunView.FailingShown} more failing nodes", text, StringComparison.Ordinal);
        var agents = Assert.Single(lines, l => l.Contains("> agents", StringComparison.Ordinal));
        Assert.Contains("9997", agents, StringComparison.Ordinal);
        Assert.Contains("5977 done", agents, StringComparison.Ordinal);
        Assert.Contains("100 running", agents, StringComparison.Ordinal);
        Assert.Contains("3882 waiting", agents, StringComparison.Ordinal);
        Assert.Contains("38 failed", agents, StringComparison.Ordinal);
        Assert.Contains(" 60%", agents, StringComparison.Ordinal);
        var servers = Assert.Single(lines, l => l.Contains("servers", StringComparison.Ordinal) && !l.Contains("first", StringComparison.Ordinal));
        Assert.Contains("100%", servers, StringComparison.Ordinal);
        Assert.Contains("0 failed", servers, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_StepRunningLongerThanTheThreshold_ShowsItWithItsElapsedTime()
    {
        var run = Run("servers");
        AddPhase(run, "servers", 3, i => i == 0 ? StepState.Succeeded : StepState.Running);
        run.Steps[1].UpdatedAt = Timestamp.FromDateTimeOffset(Now - TimeSpan.FromSeconds(65));
        run.Steps[2].UpdatedAt = Timestamp.FromDateTimeOffset(Now - TimeSpan.FromSeconds(3));

        var text = RenderToText(LiveRunView.Summarise(run, Now, ["[servers] server-2: stop-k3s → running"]));

        Assert.Contains("Running for a while (1):", text, StringComparison.Ordinal);
        Assert.Contains("server-1: stop-k3s running for 1m05s", text, StringComparison.Ordinal);
        Assert.DoesNotContain("server-2: stop-k3s running for", text, StringComparison.Ordinal);
        Assert.Contains("[servers] server-2: stop-k3s → running", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Failing nodes", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_AwaitingApprovalAndANotice_TellWhatToDoInWords()
    {
        var run = Run("servers");
        run.State = RunState.AwaitingApproval;
        run.AwaitingApproval = "after-first-server";
        AddPhase(run, "servers", 1, _ => StepState.Pending);

        var text = RenderToText(LiveRunView.Summarise(run, Now, [], "coordinator unreachable (connection refused); reconnecting in 0.5 s"));

        Assert.Contains("awaiting-approval", text, StringComparison.Ordinal);
        Assert.Contains("rollbackmesh approve run-1 --gate after-first-server", text, StringComparison.Ordinal);
        Assert.Contains("reconnecting in 0.5 s", text, StringComparison.Ordinal);
    }

    private static RunStatus Run(string currentPhase) => new()
    {
        RunId = "run-1",
        Runbook = "k3s-embedded-etcd",
        State = RunState.Running,
        CurrentPhase = currentPhase,
        StartedAt = Timestamp.FromDateTimeOffset(Now - TimeSpan.FromMinutes(3)),
        Message = "",
    };

    private static void AddPhase(RunStatus run, string phase, int nodes, Func<int, StepState> state)
    {
        for (var i = 0; i < nodes; i++)
        {
            var s = state(i);
            var node = phase == "agents" ? $"agent-{i:D5}" : phase == "servers" ? $"server-{i}" : "server-0";
            run.Steps.Add(new StepStatus
            {
                StepId = $"{phase}-{i}",
                Node = node,
                Phase = phase,
                Name = "stop-k3s",
                State = s,
                Error = s == StepState.Failed ? "exit 1" : "",
                UpdatedAt = Timestamp.FromDateTimeOffset(Now),
            });
        }
    }

    private static string RenderToText(LiveRunView.Model model)
    {
        var console = new TestConsole().Width(140);
        console.Write(LiveRunView.Render(model));
        return console.Output.TrimEnd();
    }
}
