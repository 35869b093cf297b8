using System.CommandLine;
using RollbackMesh.Cli.Output;
using RollbackMesh.V1;

namespace RollbackMesh.Cli.Commands;

/// <summary>
/// `rollbackmesh apply RUNBOOK [--cluster NAME] --param k=v --plan-hash H [--watch]`: starts the run only if the
/// coordinator's plan still has the reviewed hash (a mismatch is bad input, exit 2) and no other run is active on its
/// cluster (also exit 2, naming that run). With --watch, follows it and exits 0 only on success
/// (or, with --accept-budget, when it finished with failed nodes within its failure budget).
/// </summary>
internal static class ApplyCommand
{
    public static Command Create()
    {
        var runbook = new Argument<string>("runbook") { Description = "The runbook to run." };
        var parameters = ParameterOption.Create();
        var parameterFiles = ParameterOption.CreateFile();
        var hash = new Option<string>("--plan-hash") { Description = "The hash printed by `plan` for the plan you reviewed.", Required = true };
        var watch = new Option<bool>("--watch") { Description = "Follow the run until it ends." };
        var acceptBudget = RunCommands.AcceptBudgetOption();
        var cluster = ClusterOption.Create("The cluster the reviewed plan covers (as given to plan).");
        var command = new Command("apply", "Run a reviewed plan.") { runbook, parameters, parameterFiles, hash, watch, acceptBudget, cluster };
        CommandRunner.SetAction(command, async context =>
        {
            var request = new StartRunRequest
            {
                Runbook = context.Result.GetValue(runbook)!, PlanHash = context.Result.GetValue(hash)!, Cluster = ClusterOption.Parse(context.Result.GetValue(cluster)),
            };
            request.Parameters.Add(ParameterOption.Parse(context.Result.GetValue(parameters), context.Result.GetValue(parameterFiles)).Values);
            var run = await context.Operator.StartRunAsync(request, cancellationToken: context.CancellationToken);
            if (context.Output.Json)
            {
                context.Output.Write(run);
            }
            else
            {
                var on = run.Cluster.Length > 0 ? $"cluster {run.Cluster}, " : "";
                context.Output.Line($"Started run {run.RunId} ({run.Runbook}, {on}plan {run.PlanHash}).");
            }

            if (!context.Result.GetValue(watch))
            {
                if (!context.Output.Json)
                {
                    context.Output.Line($"Follow it with: rollbackmesh watch {run.RunId}");
                }

                return CliExitCodes.Success;
            }

            return await RunWatcher.WatchAsync(context, run.RunId, context.Result.GetValue(acceptBudget));
        }, preconditionIsBadInput: true);
        return command;
    }
}
