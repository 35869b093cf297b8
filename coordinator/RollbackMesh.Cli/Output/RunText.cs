using RollbackMesh.V1;

namespace RollbackMesh.Cli.Output;

/// <summary>A run as text: a header and one row per step, grouped by phase in plan order.</summary>
internal static class RunText
{
    public static void Write(CliOutput output, RunStatus run)
    {
        output.Line(Header(run));
        if (run.Message.Length > 0)
        {
            output.Line($"  {run.Message}");
        }

        if (run.AwaitingApproval.Length > 0)
        {
            output.Line($"  awaiting approval of {run.AwaitingApproval}: rollbackmesh approve {run.RunId} --gate {run.AwaitingApproval}");
        }

        var table = new TextTable("PHASE", "NODE", "STEP", "STATE", "UPDATED", "DETAIL");
        foreach (var step in run.Steps)
        {
            table.Add(step.Phase, step.Node, step.Name, Format.State(step.State) + Attempt(step.Attempt), Format.Time(step.UpdatedAt), Detail(step));
        }

        if (table.Count > 0)
        {
            output.Table(table);
        }
    }

    public static string Header(RunStatus run)
    {
        var finished = run.FinishedAt is null ? "" : $", finished {Format.Time(run.FinishedAt)}";
        var cluster = run.Cluster.Length == 0 ? "" : $", cluster {run.Cluster}";
        return $"Run {run.RunId} ({run.Runbook}, plan {Short(run.PlanHash)}): {Format.State(run.State)}{Attempt(run.Attempt)}, phase {Dash(run.CurrentPhase)}, started {Format.Time(run.StartedAt)}{finished}{cluster}";
    }

    /// <summary>True once the run can change no more.</summary>
    public static bool IsFinished(RunState state) => state is RunState.Succeeded or RunState.SucceededWithFailures or RunState.Failed or RunState.Aborted;

    public static string Detail(StepStatus step) => step.Error.Length > 0 ? step.Error : step.Summary;

    /// <summary>Shown from the second attempt on (a retry); the first is the normal case and says nothing.</summary>
    private static string Attempt(uint attempt) => attempt > 1 ? $" (attempt {attempt})" : "";

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;

    private static string Dash(string text) => text.Length == 0 ? "-" : text;
}
