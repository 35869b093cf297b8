using System.CommandLine;
using RollbackMesh.Cli.Output;
using RollbackMesh.V1;

namespace RollbackMesh.Cli.Commands;

/// <summary>`rollbackmesh runbooks`: the runbooks the coordinator offers, with their parameters and phases.</summary>
internal static class RunbooksCommand
{
    public static Command Create()
    {
        var command = new Command("runbooks", "List the runbooks, their parameters and phases.");
        CommandRunner.SetAction(command, async context =>
        {
            // Pages keep each reply under the message limit; the operator sees one list.
            var response = new ListRunbooksResponse();
            var request = new ListRunbooksRequest();
            do
            {
                var page = await context.Operator.ListRunbooksAsync(request, cancellationToken: context.CancellationToken);
                response.Runbooks.Add(page.Runbooks);
                request.PageToken = page.NextPageToken;
            }
            while (request.PageToken.Length > 0);

            if (context.Output.Json)
            {
                context.Output.Write(response);
                return CliExitCodes.Success;
            }

            var table = new TextTable("NAME", "VERSION", "PROCEDURE", "DESCRIPTION");
            foreach (var runbook in response.Runbooks)
            {
                table.Add(runbook.Name, runbook.Version, runbook.Procedure, runbook.Description);
            }

            context.Output.Table(table);
            foreach (var runbook in response.Runbooks)
            {
                context.Output.Line();
                context.Output.Line($"{runbook.Name}: phases {string.Join(" → ", runbook.Phases)}");
                foreach (var p in runbook.Parameters)
                {
                    var flags = p.Required ? "required" : p.DefaultValue.Length > 0 ? $"default {p.DefaultValue}" : "optional";
                    context.Output.Line($"  --param {p.Name}=<{p.Type}>  ({flags}) {p.Description}");
                }
            }

            return CliExitCodes.Success;
        });
        return command;
    }
}
