using Grpc.Core;
using RollbackMesh.Demo;
using RollbackMesh.V1;

namespace RollbackMesh.FunctionalTests.Crash;

/// <summary>What the chaos trials share: their run limit, the runbook's parameter, and reading a run back.</summary>
internal static class ChaosRuns
{
    /// <summary>How long a trial's run may take to end after its fault; far more than any trial needs.</summary>
    public static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(2);

    /// <summary>The chaos runbook's parameters: each no-op step sleeps <paramref name="milliseconds"/> on its agent.</summary>
    public static Dictionary<string, string> SleepMs(int milliseconds) =>
        new(StringComparer.Ordinal) { ["sleep_ms"] = milliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    /// <summary>The run as the coordinator reports it now.</summary>
    public static async Task<RunStatus> GetRunAsync(SandboxFleetHost host, string runId)
    {
        using var channel = host.OpenChannel();
        return await new Operator.OperatorClient(channel).GetRunAsync(new GetRunRequest { RunId = runId }, new CallOptions());
    }

    /// <summary>The run's state, phase and every step's state in one line, for the trial log.</summary>
    public static string Progress(RunStatus run) =>
        $"{run.State}, phase {run.CurrentPhase}: {string.Join(", ", run.Steps.Select(s => $"{s.Node}/{s.Name} {s.State}"))}";
}
