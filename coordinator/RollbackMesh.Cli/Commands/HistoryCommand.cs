using System.CommandLine;
using RollbackMesh.Cli.Output;
using RollbackMesh.V1;

namespace RollbackMesh.Cli.Commands;

/// <summary>`rollbackmesh history [RUN]`: the audit log (who did what, when), of one run or all.</summary>
internal static class HistoryCommand
{
    public static Command Create()
    {
        var run = new Argument<string?>("run") { Description = "Only this run's entries.", Arity = ArgumentArity.ZeroOrOne };
        var limit = new Option<uint>("--limit") { Description = "The newest N entries (default 100).", DefaultValueFactory = _ => 100 };
        var command = new Command("history", "Show the audit log: operator commands and run and step transitions.") { run, limit };
        CommandRunner.SetAction(command, async context =>
        {
            // Each page holds the newest of what is still wanted that fits under the message limit; older pages go first.
            var wanted = context.Result.GetValue(limit) is 0 ? 100u : context.Result.GetValue(limit);
            var request = new HistoryRequest { RunId = context.Result.GetValue(run) ?? "", Limit = wanted };
            var entries = new List<AuditEntry>();
            do
            {
                var page = await context.Operator.HistoryAsync(request, cancellationToken: context.CancellationToken);
                entries.InsertRange(0, page.Entries);
                request.PageToken = page.NextPageToken;
                request.Limit = wanted - (uint)entries.Count;
            }
            while (request.PageToken.Length > 0 && request.Limit > 0);

            var response = new HistoryResponse { Entries = { entries } };

            if (context.Output.Json)
            {
                context.Output.Write(response);
                return CliExitCodes.Success;
            }

            var table = new TextTable("TIME (UTC)", "WHO", "WHAT", "RUN", "DETAIL");
            foreach (var entry in response.Entries)
            {
                table.Add(Format.Time(entry.At), entry.Who, entry.What, entry.RunId.Length > 0 ? entry.RunId : "-", entry.Detail);
            }

            context.Output.Table(table);
            return CliExitCodes.Success;
        });
        return command;
    }
}
