using System.Collections.Immutable;
using RollbackMesh.Coordinator.Runbooks;

namespace RollbackMesh.Coordinator.Planning;

/// <summary>
/// The fleet sorted into the roles runbooks select, with the first server chosen: the node a parameter names
/// (a node name, or <c>label=value</c>), else the one server with role <c>first-server</c>, else the only server.
/// Nodes are always listed first server, other servers, agents, then control before compute, then by name.
/// </summary>
internal sealed class FleetView
{
    private readonly ImmutableArray<PlanningNode> _nodes;
    private readonly string? _firstServerProblem;
    private bool _firstServerProblemReported;

    private FleetView(ImmutableArray<PlanningNode> nodes, PlanningNode? firstServer, string? firstServerProblem)
    {
        FirstServer = firstServer;
        _firstServerProblem = firstServerProblem;
        _nodes = [.. nodes.OrderBy(K3sSortKey).ThenBy(n => OpenStackRank(n) ?? 2).ThenBy(n => n.Name, StringComparer.Ordinal)];
    }

    public PlanningNode? FirstServer { get; }

    public static FleetView Create(IReadOnlyCollection<PlanningNode> nodes, string? firstServerChoice, List<string> problems)
    {
        foreach (var duplicate in nodes.GroupBy(n => n.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"node '{duplicate.Key}' appears {duplicate.Count()} times in the fleet");
        }

        var servers = nodes.Where(n => n.IsServer).OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
        var (first, problem) = ChooseFirstServer(servers, firstServerChoice);
        return new FleetView([.. nodes], first, problem);
    }

    /// <summary>The nodes a selector picks, in tier order. Reports (once) why the first server is unknown when it matters.</summary>
    public ImmutableArray<PlanningNode> Select(NodeSelector selector, List<string> problems)
    {
        if (selector is NodeSelector.FirstServer or NodeSelector.OtherServers && FirstServer is null)
        {
            ReportFirstServerProblem(problems);
            return [];
        }

        return [.. _nodes.Where(n => selector switch
        {
            NodeSelector.FirstServer => ReferenceEquals(n, FirstServer),
            NodeSelector.OtherServers => n.IsServer && !ReferenceEquals(n, FirstServer),
            NodeSelector.Servers => n.IsServer,
            NodeSelector.Agents => n.HasRole(NodeRoles.Agent) && !n.IsServer,
            NodeSelector.Control => n.HasRole(NodeRoles.Control),
            NodeSelector.Compute => n.HasRole(NodeRoles.Compute),
            _ => true,
        })];
    }

    /// <summary>True when <paramref name="selector"/> depends on a first server that could not be chosen (already reported).</summary>
    public bool FirstServerUnknown(NodeSelector selector) =>
        FirstServer is null && selector is NodeSelector.FirstServer or NodeSelector.OtherServers;

    /// <summary>Every node's name, comma-separated in name order (a list argument's spelling).</summary>
    public string AllNames => string.Join(",", _nodes.Select(n => n.Name).Order(StringComparer.Ordinal));

    public PlanningNode? Find(string name) => _nodes.FirstOrDefault(n => n.Name == name);

    public void ReportFirstServerProblem(List<string> problems)
    {
        if (!_firstServerProblemReported && _firstServerProblem is not null)
        {
            problems.Add(_firstServerProblem);
            _firstServerProblemReported = true;
        }
    }

    /// <summary>Rank on the K3s axis (first server 0, other servers 1, agents 2), or null when off it.</summary>
    public int? K3sRank(PlanningNode node) =>
        ReferenceEquals(node, FirstServer) ? RoleTiers.FirstServer
        : node.IsServer ? RoleTiers.OtherServer
        : node.HasRole(NodeRoles.Agent) ? RoleTiers.Agent
        : null;

    /// <summary>Rank on the OpenStack axis (control 0, compute 1), or null when off it.</summary>
    public static int? OpenStackRank(PlanningNode node) =>
        node.HasRole(NodeRoles.Control) ? RoleTiers.Control
        : node.HasRole(NodeRoles.Compute) ? RoleTiers.Compute
        : null;

    private int K3sSortKey(PlanningNode node) => K3sRank(node) ?? 3;

    private static (PlanningNode? First, string? Problem) ChooseFirstServer(List<PlanningNode> servers, string? choice)
    {
        if (!string.IsNullOrEmpty(choice))
        {
            var separator = choice.IndexOf('=');
            var matches = separator < 0
                ? servers.Where(s => s.Name == choice).ToList()
                : servers.Where(s => s.Labels.TryGetValue(choice[..separator], out var v) && v == choice[(separator + 1)..]).ToList();
            return matches.Count == 1
                ? (matches[0], null)
                : (null, $"the first server was chosen as '{choice}', which matches {matches.Count} servers ({Names(matches)}); it must match exactly one server (servers: {Names(servers)})");
        }

        var marked = servers.Where(s => s.HasRole(NodeRoles.FirstServer)).ToList();
        return marked.Count switch
        {
            1 => (marked[0], null),
            > 1 => (null, $"{marked.Count} servers have role 'first-server' ({Names(marked)}); exactly one may"),
            _ when servers.Count == 1 => (servers[0], null),
            _ when servers.Count == 0 => (null, "the runbook needs a first server but the fleet has no node with role 'server' or 'first-server'"),
            _ => (null, $"no server has role 'first-server' among {servers.Count} servers ({Names(servers)}); give one that role or choose it with the runbook's first-server parameter"),
        };
    }

    private static string Names(IEnumerable<PlanningNode> nodes)
    {
        var names = string.Join(", ", nodes.Select(n => n.Name));
        return names.Length == 0 ? "none" : names;
    }
}
