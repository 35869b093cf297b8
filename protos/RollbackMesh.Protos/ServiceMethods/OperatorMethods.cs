using RollbackMesh.Transport;

namespace RollbackMesh.V1;

/// <summary>Method descriptors of <c>rollbackmesh.v1.Operator</c> (operator.proto).</summary>
public static class OperatorMethods
{
    /// <summary>The service name on the wire.</summary>
    public const string ServiceName = "rollbackmesh.v1.Operator";

    /// <summary>Lists the fleet's nodes.</summary>
    public static readonly Method<ListNodesRequest, ListNodesResponse> ListNodes = new(MethodType.Unary, ServiceName, "ListNodes");

    /// <summary>Lists the known runbooks.</summary>
    public static readonly Method<ListRunbooksRequest, ListRunbooksResponse> ListRunbooks = new(MethodType.Unary, ServiceName, "ListRunbooks");

    /// <summary>Plans a rollback without running it.</summary>
    public static readonly Method<PlanRequest, PlanResponse> Plan = new(MethodType.Unary, ServiceName, "Plan");

    /// <summary>Starts a rollback run.</summary>
    public static readonly Method<StartRunRequest, RunStatus> StartRun = new(MethodType.Unary, ServiceName, "StartRun");

    /// <summary>Gets a run's status.</summary>
    public static readonly Method<GetRunRequest, RunStatus> GetRun = new(MethodType.Unary, ServiceName, "GetRun");

    /// <summary>Streams a run's events.</summary>
    public static readonly Method<GetRunRequest, RunEvent> WatchRun = new(MethodType.ServerStreaming, ServiceName, "WatchRun");

    /// <summary>Pauses a run.</summary>
    public static readonly Method<RunControlRequest, RunStatus> Pause = new(MethodType.Unary, ServiceName, "Pause");

    /// <summary>Resumes a paused run.</summary>
    public static readonly Method<RunControlRequest, RunStatus> Resume = new(MethodType.Unary, ServiceName, "Resume");

    /// <summary>Aborts a run.</summary>
    public static readonly Method<RunControlRequest, RunStatus> Abort = new(MethodType.Unary, ServiceName, "Abort");

    /// <summary>Approves a gated step.</summary>
    public static readonly Method<ApproveRequest, RunStatus> Approve = new(MethodType.Unary, ServiceName, "Approve");

    /// <summary>Lists past runs.</summary>
    public static readonly Method<HistoryRequest, HistoryResponse> History = new(MethodType.Unary, ServiceName, "History");
}
