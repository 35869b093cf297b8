using RollbackMesh.Coordinator.Runbooks;

namespace RollbackMesh.Coordinator.Planning;

/// <summary>
/// The documented orderings as ranks on two independent axes. K3s: the first server (0) before the other
/// servers (1) before agents (2). OpenStack: control nodes (0) before compute nodes (1). A node or selector
/// off an axis has no rank there and is not ordered by it.
/// </summary>
internal static class RoleTiers
{
    public const int FirstServer = 0;
    public const int OtherServer = 1;
    public const int Agent = 2;
    public const int Control = 0;
    public const int Compute = 1;

    /// <summary>The K3s ranks a selector can reach, or null when it is off that axis.</summary>
    public static TierRange? K3s(NodeSelector selector) => selector switch
    {
        NodeSelector.FirstServer => new(FirstServer, FirstServer),
        NodeSelector.OtherServers => new(OtherServer, OtherServer),
        NodeSelector.Servers => new(FirstServer, OtherServer),
        NodeSelector.Agents => new(Agent, Agent),
        NodeSelector.All => new(FirstServer, Agent),
        _ => null,
    };

    /// <summary>The OpenStack ranks a selector can reach, or null when it is off that axis.</summary>
    public static TierRange? OpenStack(NodeSelector selector) => selector switch
    {
        NodeSelector.Control => new(Control, Control),
        NodeSelector.Compute => new(Compute, Compute),
        NodeSelector.All => new(Control, Compute),
        _ => null,
    };

    /// <summary>
    /// True when state changes in <paramref name="earlier"/> would all come from a later tier than every node of
    /// <paramref name="later"/>: e.g. agents before the first server, or compute before control.
    /// </summary>
    public static bool Violates(TierRange? earlier, TierRange? later) =>
        earlier is { } e && later is { } l && e.Min > l.Max;

    /// <summary>Names the rule a violation breaks, for error messages.</summary>
    public static string RuleText(bool openStackAxis, TierRange earlier, TierRange later) => openStackAxis
        ? "control nodes must change before compute nodes"
        : later.Max == FirstServer
            ? "the first server must change before any other server or agent"
            : "servers must change before agents";
}
