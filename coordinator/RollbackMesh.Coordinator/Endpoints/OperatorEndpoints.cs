using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RollbackMesh.Coordinator.Operators;
using RollbackMesh.Transport;
using RollbackMesh.V1;

namespace RollbackMesh.Coordinator.Endpoints;

/// <summary>
/// The Operator service over <see cref="OperatorService"/>: each rpc names the caller, calls the service and turns an
/// <see cref="OperatorException"/> into the status of the same name. Nothing else happens here.
/// </summary>
internal static class OperatorEndpoints
{
    public static GrpcServiceEndpoints MapOperatorService(this IEndpointRouteBuilder endpoints)
    {
        var service = endpoints.ServiceProvider.GetRequiredService<OperatorService>();
        var stopping = endpoints.ServiceProvider.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        return endpoints.MapGrpcService()
            .Unary(OperatorMethods.ListNodes, (r, c) => Call(() => service.ListNodes(r, CallerIdentity.Of(c))))
            .Unary(OperatorMethods.ListRunbooks, (r, c) => CallAsync(() => service.ListRunbooksAsync(r, CallerIdentity.Of(c), c.CancellationToken)))
            .Unary(OperatorMethods.Plan, (r, c) => CallAsync(() => service.PlanAsync(r, CallerIdentity.Of(c), c.CancellationToken)))
            .Unary(OperatorMethods.StartRun, (r, c) => CallAsync(() => service.StartRunAsync(r, CallerIdentity.Of(c), c.CancellationToken)))
            .Unary(OperatorMethods.GetRun, (r, c) => Call(() => service.GetRun(r, CallerIdentity.Of(c))))
            .ServerStreaming(OperatorMethods.WatchRun, (r, stream, c) => WatchAsync(service, r, stream, c, stopping))
            .Unary(OperatorMethods.Pause, (r, c) => CallAsync(() => service.PauseAsync(r, CallerIdentity.Of(c))))
            .Unary(OperatorMethods.Resume, (r, c) => CallAsync(() => service.ResumeAsync(r, CallerIdentity.Of(c))))
            .Unary(OperatorMethods.Abort, (r, c) => CallAsync(() => service.AbortAsync(r, CallerIdentity.Of(c))))
            .Unary(OperatorMethods.Approve, (r, c) => CallAsync(() => service.ApproveAsync(r, CallerIdentity.Of(c))))
            .Unary(OperatorMethods.History, (r, c) => Call(() => service.History(r, CallerIdentity.Of(c))));
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

    private static async Task WatchAsync(
        OperatorService service, GetRunRequest request, IServerStreamWriter<RunEvent> stream, ServerCallContext context, CancellationToken stopping)
    {
        // A watch lasts as long as the run; shutdown must end it rather than wait for it.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, stopping);
        try
        {
            await foreach (var change in service.WatchRunAsync(request, CallerIdentity.Of(context), linked.Token).ConfigureAwait(false))
            {
                await stream.WriteAsync(change, linked.Token).ConfigureAwait(false);
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

    private static RpcException ToRpc(OperatorException ex) => new(new Status(ToStatusCode(ex.Code), ex.Message));
}
