using Grpc.Core;
using Microsoft.Extensions.Hosting;
using RollbackMesh.Coordinator.Operators;
using RollbackMesh.V1;

namespace RollbackMesh.Coordinator.Endpoints;

/// <summary>
/// The Operator service over <see cref="OperatorService"/>: each rpc names the caller, calls the service and turns an
/// <see cref="OperatorException"/> into the status of the same name. Nothing else happens here.
/// </summary>
internal sealed class OperatorEndpoints(OperatorService service, IHostApplicationLifetime lifetime) : Operator.OperatorBase
{
    public override Task<ListNodesResponse> ListNodes(ListNodesRequest request, ServerCallContext context) =>
        Call(() => service.ListNodes(request, CallerIdentity.Of(context)));

    public override Task<ListRunbooksResponse> ListRunbooks(ListRunbooksRequest request, ServerCallContext context) =>
        CallAsync(() => service.ListRunbooksAsync(request, CallerIdentity.Of(context), context.CancellationToken));

    public override Task<PlanResponse> Plan(PlanRequest request, ServerCallContext context) =>
        CallAsync(() => service.PlanAsync(request, CallerIdentity.Of(context), context.CancellationToken));

    public override Task<RunStatus> StartRun(StartRunRequest request, ServerCallContext context) =>
        CallAsync(() => service.StartRunAsync(request, CallerIdentity.Of(context), context.CancellationToken));

    public override Task<RunStatus> GetRun(GetRunRequest request, ServerCallContext context) =>
        Call(() => service.GetRun(request, CallerIdentity.Of(context)));

    public override Task<RunStatus> Pause(RunControlRequest request, ServerCallContext context) =>
        CallAsync(() => service.PauseAsync(request, CallerIdentity.Of(context)));

    public override Task<RunStatus> Resume(RunControlRequest request, ServerCallContext context) =>
        CallAsync(() => service.ResumeAsync(request, CallerIdentity.Of(context)));

    public override Task<RunStatus> Abort(RunControlRequest request, ServerCallContext context) =>
        CallAsync(() => service.AbortAsync(request, CallerIdentity.Of(context)));

    public override Task<RunStatus> Approve(ApproveRequest request, ServerCallContext context) =>
        CallAsync(() => service.ApproveAsync(request, CallerIdentity.Of(context)));

    public override Task<RunStatus> Retry(RetryRequest request, ServerCallContext context) =>
        CallAsync(() => service.RetryAsync(request, CallerIdentity.Of(context), context.CancellationToken));

    public override Task<HistoryResponse> History(HistoryRequest request, ServerCallContext context) =>
        Call(() => service.History(request, CallerIdentity.Of(context)));

    public override Task<ListRunsResponse> ListRuns(ListRunsRequest request, ServerCallContext context) =>
        Call(() => service.ListRuns(request, CallerIdentity.Of(context)));

    public override async Task WatchRun(GetRunRequest request, IServerStreamWriter<RunEvent> responseStream, ServerCallContext context)
    {
        // A watch lasts as long as the run; shutdown must end it rather than wait for it.
        var stopping = lifetime.ApplicationStopping;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, stopping);
        try
        {
            await foreach (var change in service.WatchRunAsync(request, CallerIdentity.Of(context), linked.Token).ConfigureAwait(false))
            {
                await responseStream.WriteAsync(change, linked.Token).ConfigureAwait(false);
            }
        }
        catch (OperatorException ex)
        {
            throw ToRpc(ex);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "The coordinator is shutting down."));
        }
    }

    /// <summary>The gRPC status for an operator error code.</summary>
    public static StatusCode ToStatusCode(OperatorErrorCode code) => code switch
    {
        OperatorErrorCode.InvalidArgument => StatusCode.InvalidArgument,
        OperatorErrorCode.NotFound => StatusCode.NotFound,
        OperatorErrorCode.FailedPrecondition => StatusCode.FailedPrecondition,
        _ => StatusCode.Unknown,
    };

    private static Task<T> Call<T>(Func<T> call)
    {
        try
        {
            return Task.FromResult(call());
        }
        catch (OperatorException ex)
        {
            throw ToRpc(ex);
        }
    }

    private static async Task<T> CallAsync<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (OperatorException ex)
        {
            throw ToRpc(ex);
        }
    }

    private static RpcException ToRpc(OperatorException ex) => new(new Status(ToStatusCode(ex.Code), ex.Message));
}
