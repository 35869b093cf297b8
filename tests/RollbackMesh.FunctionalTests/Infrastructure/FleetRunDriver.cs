using Grpc.Core;
using RollbackMesh.Demo;
using RollbackMesh.V1;
using Xunit;

namespace RollbackMesh.FunctionalTests.Infrastructure;

/// <summary>Plans and starts a run on a sandbox fleet host over the Operator API, approves its gates, and waits for the end.</summary>
internal static class FleetRunDriver
{
    /// <summary>Plans <paramref name="runbook"/> (retrying while preflight waits for first health reports) and starts it with the plan hash.</summary>
    public static async Task<RunStatus> StartAsync(SandboxFleetHost host, string runbook, IDictionary<string, string> parameters, CancellationToken ct)
    {
        using var channel = host.OpenChannel();
        var plan = new PlanRequest { Runbook = runbook, WithDryRun = true };
        plan.Parameters.Add(parameters);
        PlanResponse planned;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            planned = await new Operator.OperatorClient(channel).PlanAsync(plan, cancellationToken: ct);
            if (planned.PreflightOk || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(500, ct);
        }

        Assert.True(planned.PreflightOk, "preflight: " + string.Join("; ", planned.Preflight));
        var start = new StartRunRequest { Runbook = runbook, PlanHash = planned.Hash };
        start.Parameters.Add(parameters);
        return await new Operator.OperatorClient(channel).StartRunAsync(start, cancellationToken: ct);
    }

    /// <summary>Polls the run until it ends, approving any gate it waits on; tolerates a coordinator that is down for a while.</summary>
    public static async Task<RunStatus> FinishAsync(SandboxFleetHost host, string runId, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        RunStatus? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var channel = host.OpenChannel();
                last = await new Operator.OperatorClient(channel).GetRunAsync(new GetRunRequest { RunId = runId }, cancellationToken: ct);
                if (last.State is RunState.Succeeded or RunState.SucceededWithFailures or RunState.Failed or RunState.Aborted)
                {
                    return last;
                }

                if (last.AwaitingApproval.Length > 0)
                {
                    await new Operator.OperatorClient(channel).ApproveAsync(new ApproveRequest { RunId = runId, Gate = last.AwaitingApproval }, cancellationToken: ct);
                }
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Unavailable)
            {
            }

            await Task.Delay(250, ct);
        }

        throw new TimeoutException($"run {runId} did not end within {timeout}: last state {last?.State}, {last?.Message}");
    }
}
