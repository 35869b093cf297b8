using System.CommandLine;
using RollbackMesh.Cli.Output;
using RollbackMesh.V1;

namespace RollbackMesh.Cli.Commands;

/// <summary>
/// `rollbackmesh plan RUNBOOK [--cluster NAME] --param k=v --param-file k=path ...`: prints what apply would do on one
/// cluster, with agents' dry runs, and the hash to apply. Without --cluster the fleet must be one cluster.
/// </summary>
internal static class PlanCommand
{
    public static Command Create()
    {
        var runbook = new Argument<string>("runbook") { Description = "The runbook to plan." };
        var parameters = ParameterOption.Create();
        var parameterFiles = ParameterOption.CreateFile();
        var cluster = ClusterOption.Create("The cluster to plan on (agent.yaml cluster); required when the fleet has several.");
        var command = new Command("plan", "Plan a runbook against one cluster of the fleet (nothing changes), with dry runs.") { runbook, parameters, parameterFiles, cluster };
        CommandRunner.SetAction(command, async context =>
        {
            var request = new PlanRequest
            {
                Runbook = context.Result.GetValue(runbook)!, WithDryRun = true, Cluster = ClusterOption.Parse(context.Result.GetValue(cluster)),
            };
            var supplied = ParameterOption.Parse(context.Result.GetValue(parameters), context.Result.GetValue(parameterFiles));
            request.Parameters.Add(supplied.Values);
            var plan = await context.Operator.PlanAsync(request, cancellationToken: context.CancellationToken);
            if (context.Output.Json)
            {
                context.Output.Write(plan);
                return CliExitCodes.Success;
            }

            context.Output.Line(PlanText.Render(plan).TrimEnd('\n'));
            context.Output.Line();
            var args = supplied.ApplyArguments(plan.Parameters);
            var clusterArg = plan.Cluster.Length > 0 ? $" --cluster {plan.Cluster}" : "";
            context.Output.Line($"To run exactly this plan: rollbackmesh apply {plan.Runbook}{clusterArg}{args} --plan-hash {plan.Hash}");
            return CliExitCodes.Success;
        }, preconditionIsBadInput: true);
        return command;
    }
}
