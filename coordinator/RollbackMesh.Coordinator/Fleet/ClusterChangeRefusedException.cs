namespace RollbackMesh.Coordinator.Fleet;

/// <summary>A known node's Hello named another cluster than the one the coordinator has stored for it.</summary>
internal sealed class ClusterChangeRefusedException(string node, string storedCluster, string helloCluster)
    : InvalidOperationException(
        $"node {node} belongs to cluster '{storedCluster}' but its Hello says cluster '{helloCluster}'; a node cannot change " +
        $"cluster: run 'rollbackmesh-coordinator node remove {node}' on the coordinator, then enroll it again with the new cluster")
{
    public string Node { get; } = node;

    public string StoredCluster { get; } = storedCluster;

    public string HelloCluster { get; } = helloCluster;
}
