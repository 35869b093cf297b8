using System.CommandLine;
using RollbackMesh.Cli.Output;
using RollbackMesh.Protos.Conventions;
using RollbackMesh.V1;

namespace RollbackMesh.Cli.Commands;

/// <summary>
/// `rollbackmesh nodes [--cluster NAME] [--selector key=value ...]`: every known node with cluster, roles, connection,
/// last seen, health and versions, grouped by cluster with a count per cluster.
/// </summary>
internal static class NodesCommand
{
    public static Command Create()
    {
        var cluster = new Option<string?>("--cluster") { Description = "Only the nodes of this cluster (agent.yaml cluster)." };
        var selector = new Option<string[]>("--selector")
        {
            Description = "Only nodes with this label (key=value, agent.yaml labels); repeat for several, all must match.",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("nodes", "List the fleet's nodes by cluster: roles, connected/stale, last seen, versions.")
        {
            cluster, selector,
        };
        CommandRunner.SetAction(command, async context =>
        {
            var filter = NodeFilter.Parse(context.Result.GetValue(cluster), context.Result.GetValue(selector) ?? []);

            // Pages keep each reply under the message limit; the operator sees one list.
            var response = new ListNodesResponse();
            var request = new ListNodesRequest();
            do
            {
                var page = await context.Operator.ListNodesAsync(request, cancellationToken: context.CancellationToken);
                response.Nodes.Add(page.Nodes.Where(filter.Matches));
                request.PageToken = page.NextPageToken;
            }
            while (request.PageToken.Length > 0);

            if (context.Output.Json)
            {
                context.Output.Write(response);
                return CliExitCodes.Success;
            }

            if (response.Nodes.Count == 0)
            {
                context.Output.Line(filter.IsEmpty ? "No nodes have connected yet." : $"No nodes match {filter}.");
                return CliExitCodes.Success;
            }

            context.Output.Table(Render(response.Nodes, DateTimeOffset.UtcNow));
            return CliExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// The table: clusters in name order (nodes without a cluster, stored before clusters existed, last), each led by a
    /// row with its node count and how many are healthy, then its nodes by name.
    /// </summary>
    internal static TextTable Render(IEnumerable<NodeInfo> nodes, DateTimeOffset now)
    {
        var table = new TextTable("CLUSTER", "NAME", "ROLES", "STATUS", "LAST SEEN", "AGENT", "VERSIONS");
        var groups = nodes
            .GroupBy(n => n.Cluster, StringComparer.Ordinal)
            .OrderBy(g => g.Key.Length == 0)
            .ThenBy(g => g.Key, StringComparer.Ordinal);
        foreach (var group in groups)
        {
            var members = group.OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
            var healthy = members.Count(n => Status(n) == "healthy");
            var name = group.Key.Length == 0 ? "(none)" : group.Key;
            table.Add(name, $"{members.Count} node{(members.Count == 1 ? "" : "s")}, {healthy} healthy", "", "", "", "", "");
            foreach (var node in members)
            {
                var versions = node.Health is null ? "" : string.Join(", ", node.Health.Versions.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value}"));
                table.Add("", node.Name, string.Join(",", node.Roles), Status(node), Format.Age(node.LastSeen, now), node.AgentVersion, versions);
            }
        }

        return table;
    }

    private static string Status(NodeInfo node) =>
        node.Removed ? "removed"
        : !node.Connected ? "disconnected"
        : node.Stale ? "stale"
        : node.Health is null ? "connected"
        : node.Health.Healthy ? "healthy"
        : "unhealthy: " + string.Join("; ", node.Health.Problems);
}

/// <summary>The nodes command's --cluster and --selector: which nodes to list.</summary>
internal sealed class NodeFilter
{
    private readonly string? _cluster;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _labels;

    private NodeFilter(string? cluster, IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        _cluster = cluster;
        _labels = labels;
    }

    public bool IsEmpty => _cluster is null && _labels.Count == 0;

    /// <exception cref="CliUsageException">The cluster is not a cluster name, or a selector is not key=value.</exception>
    public static NodeFilter Parse(string? cluster, IReadOnlyList<string> selectors)
    {
        if (cluster is not null && !ClusterNames.IsValid(cluster))
        {
            throw new CliUsageException($"--cluster '{cluster}' is not a cluster name ({ClusterNames.Shape}).");
        }

        var labels = new List<KeyValuePair<string, string>>();
        foreach (var selector in selectors)
        {
            var equals = selector.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CliUsageException($"--selector '{selector}' is not key=value (a label from agent.yaml labels).");
            }

            labels.Add(new(selector[..equals], selector[(equals + 1)..]));
        }

        return new NodeFilter(cluster, labels);
    }

    public bool Matches(NodeInfo node) =>
        (_cluster is null || string.Equals(node.Cluster, _cluster, StringComparison.Ordinal))
        && _labels.All(l => node.Labels.TryGetValue(l.Key, out var value) && string.Equals(value, l.Value, StringComparison.Ordinal));

    public override string ToString() =>
        string.Join(" ", (_cluster is null ? [] : new[] { $"--cluster {_cluster}" }).Concat(_labels.Select(l => $"--selector {l.Key}={l.Value}")));
}
