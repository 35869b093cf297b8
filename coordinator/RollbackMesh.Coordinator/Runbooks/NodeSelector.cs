namespace RollbackMesh.Coordinator.Runbooks;

/// <summary>Which nodes a phase (or a preflight step, or a step's <c>for_each</c>) applies to, by role.</summary>
internal enum NodeSelector
{
    /// <summary>The one server that restores or starts first (role <c>first-server</c>, or chosen by a parameter).</summary>
    FirstServer,
    /// <summary>Servers minus the first server.</summary>
    OtherServers,
    /// <summary>Every node with role <c>server</c> or <c>first-server</c>.</summary>
    Servers,
    /// <summary>Every node with role <c>agent</c>.</summary>
    Agents,
    /// <summary>OpenStack control nodes (role <c>control</c>).</summary>
    Control,
    /// <summary>OpenStack compute nodes (role <c>compute</c>).</summary>
    Compute,
    /// <summary>Every node of the fleet.</summary>
    All,
}
