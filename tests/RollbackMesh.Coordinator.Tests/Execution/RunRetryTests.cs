using RollbackMesh.Coordinator.Execution;
using Xunit;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Tests.Execution;

/// <summary>The retry rules as a pure function over a run's stored records.</summary>
public sealed class RunRetryTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 4, 0, 0, TimeSpan.Zero);

    private static readonly RunRecord FailedRun = new("run-1", "noop", "hash", RunState.Failed, "upgrade", "failed", "alice", Now, Now, "", true);

    private static StepRecord Step(string id, StepState state, string error = "") =>
        new("run-1", id, 0, "agent1", "upgrade", id, state, "", error, Now, false, 1);

    [Fact]
    public void Prepare_TimedOutStep_RefusedAsUnknownOutcomeUntilAccepted()
    {
        // The coordinator stopped waiting after the step's timeout; the agent may still be running it.
        StepRecord[] steps = [Step("upgrade/agent1/a", StepState.Succeeded), Step("upgrade/agent1/b", StepState.TimedOut, "no result within 00:01:00")];

        var refused = Assert.Throws<RunStateException>(() => RunRetry.Prepare(FailedRun, steps, RetryAcceptance.None, "alice", Now));
        Assert.Contains("upgrade/agent1/b on agent1 (attempt 1)", refused.Message, StringComparison.Ordinal);
        Assert.Contains("--accept-unknown", refused.Message, StringComparison.Ordinal);

        var (run, reset) = RunRetry.Prepare(FailedRun, steps, new RetryAcceptance(["upgrade/agent1/b"], false), "alice", Now);
        var b = Assert.Single(reset);
        Assert.Equal(("upgrade/agent1/b", StepState.Pending, 2), (b.StepId, b.State, b.Attempt));
        Assert.Contains("unknown outcome accepted by alice: upgrade/agent1/b", run.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_PlainFailure_RetriedWithoutAcceptance()
    {
        StepRecord[] steps = [Step("upgrade/agent1/a", StepState.Failed, "/srv/x: No such file or directory")];

        var (run, reset) = RunRetry.Prepare(FailedRun, steps, RetryAcceptance.None, "alice", Now);

        Assert.Equal(RunState.Running, run.State);
        Assert.Equal(2, Assert.Single(reset).Attempt);
    }
}
