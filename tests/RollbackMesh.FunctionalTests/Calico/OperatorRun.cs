using Grpc.Core;
using RollbackMesh.Protos.Channels;
using RollbackMesh.V1;
using Xunit;

namespace RollbackMesh.FunctionalTests.Calico;

/// <summary>
/// Drives a run over the coordinator's Operator API at a given address: waits for agents, plans (retrying while
/// preflight waits for first health reports), starts with the plan hash, approves gates and waits for the end.
/// </summary>
internal static class OperatorRun
{
    /// <summary>Waits until every node in <paramref name="names"/> is connected and not stale.</summary>
    public static async Task WaitForAgentsAsync(Uri coordinator, IReadOnlyCollection<string> names, TimeSpan timeout)
    {
        using var channel = RollbackMeshChannel.Create(coordinator);
        var deadline = DateTime.UtcNow + timeout;
        var missing = names.ToList();
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var nodes = await new Operator.OperatorClient(channel).ListNodesAsync(new ListNodesRequest(), default);
                var connected = nodes.Nodes.Where(n => n.Connected && !n.Stale).Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
                missing = names.Where(n => !connected.Contains(n)).ToList();
                if (missing.Count == 0)
                {
                    return;
                }
            }
            catch (RpcException)
            {
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"agents not connected after {timeout.TotalSeconds:0} s: {string.Join(", ", missing)}");
    }

    /// <summary>Plans and starts <paramref name="runbook"/>; returns the started run.</summary>
    public static async Task<RunStatus> StartAsync(Uri coordinator, string runbook, IDictionary<string, string> parameters, TimeSpan preflightTimeout)
    {
        using var channel = RollbackMeshChannel.Create(coordinator);
        var plan = new PlanRequest { Runbook = runbook, WithDryRun = true };
        plan.Parameters.Add(parameters);
        PlanResponse planned;
        var deadline = DateTime.UtcNow + preflightTimeout;
        while (true)
        {
            planned = await new Operator.OperatorClient(channel).PlanAsync(plan, default);
            if (planned.PreflightOk || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(500);
        }

        Assert.True(planned.PreflightOk, "preflight: " + string.Join("; ", planned.Preflight));
        var start = new StartRunRequest { Runbook = runbook, PlanHash = planned.Hash };
        start.Parameters.Add(parameters);
        return await new Operator.OperatorClient(channel).StartRunAsync(start, default);
    }

    /// <summary>The run's current status.</summary>
    public static async Task<RunStatus> GetAsync(Uri coordinator, string runId)
    {
        using var channel = RollbackMeshChannel.Create(coordinator);
        return await new Operator.OperatorClient(channel).GetRunAsync(new GetRunRequest { RunId = runId }, default);
    }

    /// <summary>Polls until the run ends, approving any gate it waits on.</summary>
    public static async Task<RunStatus> FinishAsync(Uri coordinator, string runId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        RunStatus? last = null;
        while (DateTime.UtcNow < deadline)
        {
            using var channel = RollbackMeshChannel.Create(coordinator);
            last = await new Operator.OperatorClient(channel).GetRunAsync(new GetRunRequest { RunId = runId }, default);
            if (last.State is RunState.Succeeded or RunState.SucceededWithFailures or RunState.Failed or RunState.Aborted)
            {
                return last;
            }

            if (last.AwaitingApproval.Length > 0)
            {
                await new Operator.OperatorClient(channel).ApproveAsync(new ApproveRequest { RunId = runId, Gate = last.AwaitingApproval }, default);
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"run {runId} did not end within {timeout}: last state {last?.State}, {last?.Message}");
    }
}
