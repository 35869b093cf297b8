using System.CommandLine;
using RollbackMesh.Cli.Output;
using RollbackMesh.V1;

namespace RollbackMesh.Cli.Commands;

/// <summary>`rollbackmesh nodes`: every known node with roles, connection, last seen, health and versions.</summary>
internal static class NodesCommand
{
    public static Command Create()
    {
        var command = new Command("nodes", "List the fleet's nodes: roles, connected/stale, last seen, versions.");
        CommandRunner.SetAction(command, async context =>
        {
            // Pages keep each reply under the message limit; the operator sees one list.
            var response = new ListNodesResponse();
            var request = new ListNodesRequest();
            do
            {
                var page = await context.Operator.ListNodesAsync(request, cancellationToken: context.CancellationToken);
                response.Nodes.Add(page.Nodes);
                request.PageToken = page.NextPageToken;
            }
            while (request.PageToken.Length > 0);

            if (context.Output.Json)
            {
                context.Output.Write(response);
                return CliExitCodes.Success;
            }

            var now = DateTimeOffset.UtcNow;
            var table = new TextTable("NAME", "ROLES", "STATUS", "LAST SEEN", "AGENT", "VERSIONS");
            foreach (var node in response.Nodes)
            {
                var versions = node.Health is null ? "" : string.Join(", ", node.Health.Versions.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value}"));
                table.Add(node.Name, string.Join(",", node.Roles), Status(node), Format.Age(node.LastSeen, now), node.AgentVersion, versions);
            }

            if (table.Count == 0)
            {
                context.Output.Line("No nodes have connected yet.");
                return CliExitCodes.Success;
            }

            context.Output.Table(table);
            return CliExitCodes.Success;
        });
        return command;
    }

    private static string Status(NodeInfo node) =>
        node.Removed ? "removed"
        : !node.Connected ? "disconnected"
        : node.Stale ? "stale"
        : node.Health is null ? "connected"
        : node.Health.Healthy ? "healthy"
        : "unhealthy: " + string.Join("; ", node.Health.Problems);
}
