using RollbackMesh.Transport;

namespace RollbackMesh.V1;

/// <summary>Method descriptors of <c>rollbackmesh.v1.AgentHub</c> (agent_hub.proto).</summary>
public static class AgentHubMethods
{
    /// <summary>The service name on the wire.</summary>
    public const string ServiceName = "rollbackmesh.v1.AgentHub";

    /// <summary>The agent's long-lived bidirectional stream.</summary>
    public static readonly Method<AgentMessage, CoordinatorMessage> Connect = new(MethodType.DuplexStreaming, ServiceName, "Connect");

    /// <summary>One-time enrollment of a new agent.</summary>
    public static readonly Method<EnrollRequest, EnrollResponse> Enroll = new(MethodType.Unary, ServiceName, "Enroll");
}
