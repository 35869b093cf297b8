namespace RollbackMesh.Agent.Actions.Kubernetes;

/// <summary>Node scheduling operations.</summary>
internal enum KubectlNodeOperation
{
    /// <summary>kubectl drain --ignore-daemonsets --delete-emptydir-data.</summary>
    Drain,

    /// <summary>kubectl cordon.</summary>
    Cordon,

    /// <summary>kubectl uncordon.</summary>
    Uncordon,
}
