using Grpc.Core;
using RollbackMesh.Demo;
using RollbackMesh.V1;
using Xunit;

namespace RollbackMesh.FunctionalTests.Infrastructure;

/// <summary>Polls a sandbox fleet host's coordinator over the Operator API until a node or a step is as a test expects.</summary>
internal static class FleetPolls
{
    /// <summary>Polls the node list until the coordinator sees <paramref name="node"/> connected (or not), for up to 60 s.</summary>
    public static async Task WaitForConnectedAsync(SandboxFleetHost host, string node, bool connected)
    {
        using var channel = host.OpenChannel();
        var client = new Operator.OperatorClient(channel);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await client.ListNodesAsync(new ListNodesRequest(), new CallOptions())).Nodes.Any(n => n.Name == node && n.Connected) != connected)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{node} not {(connected ? "connected" : "disconnected")} within 60 s");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Polls the run until the step on <paramref name="node"/> in <paramref name="phase"/> (its first, or the one named
    /// <paramref name="name"/>) matches; fails naming its last state after <paramref name="timeout"/>.
    /// </summary>
    public static async Task<StepStatus> WaitForStepAsync(SandboxFleetHost host, string runId, string node, Func<StepStatus, bool> condition, TimeSpan timeout,
        string phase = "agents", string? name = null)
    {
        using var channel = host.OpenChannel();
        var client = new Operator.OperatorClient(channel);
        var deadline = DateTime.UtcNow + timeout;
        StepStatus? last = null;
        while (DateTime.UtcNow < deadline)
        {
            var run = await client.GetRunAsync(new GetRunRequest { RunId = runId }, new CallOptions());
            last = run.Steps.FirstOrDefault(s => s.Node == node && s.Phase == phase && (name is null || s.Name == name));
            if (last is not null && condition(last))
            {
                return last;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"step {name} of {node} in run {runId}: still {last?.State} after {timeout.TotalSeconds:0} s ({last?.Error})");
    }
}
