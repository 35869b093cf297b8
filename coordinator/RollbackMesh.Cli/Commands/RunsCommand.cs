using System.CommandLine;
using RollbackMesh.Cli.Output;
using RollbackMesh.V1;

namespace RollbackMesh.Cli.Commands;

/// <summary>
/// `rollbackmesh runs [--cluster NAME] [--state S]`: the runs the coordinator has recorded, newest first. With --json
/// an object <c>{"runs": [...]}</c> whose entries carry snake_case fields with explicit nulls (<see cref="RunsJson"/>);
/// each has a <c>kind</c>, so campaigns can join the same list.
/// </summary>
internal static class RunsCommand
{
    public static Command Create()
    {
        var cluster = ClusterOption.Create("Only the runs on this cluster.");
        var state = new Option<string?>("--state") { Description = $"Only the runs in this state ({string.Join(", ", RunStates.Names)})." };
        var command = new Command("runs", "List the recorded runs: cluster, runbook, state, start and end.") { cluster, state };
        CommandRunner.SetAction(command, async context =>
        {
            var request = new ListRunsRequest
            {
                Cluster = ClusterOption.Parse(context.Result.GetValue(cluster)),
                State = RunStates.Parse(context.Result.GetValue(state)),
            };
            var runs = new List<RunListEntry>();
            do
            {
                var page = await context.Operator.ListRunsAsync(request, cancellationToken: context.CancellationToken);
                runs.AddRange(page.Runs);
                request.PageToken = page.NextPageToken;
            }
            while (request.PageToken.Length > 0);

            // Pages come by id, oldest first; people and scripts want the newest first.
            runs.Sort((a, b) => b.StartedAt.CompareTo(a.StartedAt) is var byTime and not 0 ? byTime : string.CompareOrdinal(a.Id, b.Id));
            if (context.Output.Json)
            {
                context.Output.Line(RunsJson.Render(runs));
                return CliExitCodes.Success;
            }

            if (runs.Count == 0)
            {
                context.Output.Line("No runs match.");
                return CliExitCodes.Success;
            }

            var table = new TextTable("ID", "KIND", "CLUSTER", "RUNBOOK", "STATE", "STARTED (UTC)", "FINISHED (UTC)", "BY");
            foreach (var run in runs)
            {
                table.Add(run.Id, run.Kind, run.Cluster.Length > 0 ? run.Cluster : "-", run.Runbook, Format.State(run.State),
                    Format.Time(run.StartedAt), Format.Time(run.FinishedAt), run.StartedBy);
            }

            context.Output.Table(table);
            return CliExitCodes.Success;
        });
        return command;
    }
}
