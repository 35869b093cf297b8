using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Fleet;
using RollbackMesh.Coordinator.Security;
using RollbackMesh.V1;

namespace RollbackMesh.Coordinator.Endpoints;

/// <summary>
/// AgentHub.Connect adapted to <see cref="AgentSessionHub"/>: the first message must be Hello; then each message goes
/// to the hub's matching method until the agent half-closes, the call breaks or the coordinator shuts down.
/// Under TLS a node may speak only for itself: the Hello's node name must equal its certificate's common name.
/// AgentHub.Enroll goes to <see cref="EnrollmentHandler"/> when the security services are registered; otherwise it
/// stays UNIMPLEMENTED.
/// </summary>
internal sealed class AgentHubEndpoint(AgentSessionHub hub, IHostApplicationLifetime lifetime, IServiceProvider services) : AgentHub.AgentHubBase
{
    public override Task<EnrollResponse> Enroll(EnrollRequest request, ServerCallContext context) =>
        services.GetService<EnrollmentHandler>() is { } enrollment // security: AgentHub.Enroll
            ? enrollment.EnrollAsync(request, context)
            : base.Enroll(request, context);

    public override async Task Connect(
        IAsyncStreamReader<AgentMessage> requestStream, IServerStreamWriter<CoordinatorMessage> responseStream, ServerCallContext context)
    {
        var stopping = lifetime.ApplicationStopping;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, stopping);
        var ct = linked.Token;
        if (!await requestStream.MoveNext(ct).ConfigureAwait(false))
        {
            return;
        }

        var hello = requestStream.Current.Hello
            ?? throw new RpcException(new Status(StatusCode.InvalidArgument, "The first message on AgentHub.Connect must be Hello."));
        await EndpointSecurity.AuthorizeHelloAsync(hello, context).ConfigureAwait(false); // security: cert identity, revocation, audit
        CheckIdentity(hello, context);

        var writer = new AgentStreamWriter(responseStream, hello.NodeName, ct);
        var http = context.GetHttpContext();
        var serial = http.Request.IsHttps ? http.Connection.ClientCertificate?.SerialNumber : null;
        await using (writer.ConfigureAwait(false))
        {
            try
            {
                await hub.OnConnectedAsync(hello, writer, ct, serial, linked).ConfigureAwait(false);
                while (await requestStream.MoveNext(ct).ConfigureAwait(false))
                {
                    Dispatch(hub, hello.NodeName, requestStream.Current);
                }
            }
            catch (ClusterChangeRefusedException refused)
            {
                // PermissionDenied: the agent treats it as final (exit 1) since a retry cannot change the answer.
                throw new RpcException(new Status(StatusCode.PermissionDenied, refused.Message));
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
            {
                throw new RpcException(new Status(StatusCode.Unavailable, "The coordinator is shutting down."));
            }
            catch (OperationCanceledException) when (linked.IsCancellationRequested && !stopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
            {
                // Only the hub cancels `linked` itself: the certificate was revoked while the stream was open.
                throw new RpcException(new Status(StatusCode.Unauthenticated,
                    $"certificate {serial} of node {hello.NodeName} was revoked (node remove); the stream is closed"));
            }
            finally
            {
                await hub.OnDisconnectedAsync(hello.NodeName, writer).ConfigureAwait(false);
            }
        }
    }

    private static void Dispatch(AgentSessionHub hub, string node, AgentMessage message)
    {
        switch (message.BodyCase)
        {
            case AgentMessage.BodyOneofCase.Health:
                hub.OnHealth(node, message.Health);
                break;
            case AgentMessage.BodyOneofCase.StepUpdate:
                hub.OnStepUpdate(node, message.StepUpdate);
                break;
            case AgentMessage.BodyOneofCase.Journal:
                hub.OnJournal(node, message.Journal);
                break;
            case AgentMessage.BodyOneofCase.Hello:
                throw new RpcException(new Status(StatusCode.InvalidArgument, "Hello may be sent only once per stream."));
            default:
                // A newer agent's message kind: ignored so old coordinators keep working with new agents.
                break;
        }
    }

    private static void CheckIdentity(Hello hello, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(hello.NodeName))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "Hello.node_name is required."));
        }

        var http = context.GetHttpContext();
        if (!http.Request.IsHttps)
        {
            return;
        }

        var name = http.Connection.ClientCertificate?.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        if (string.IsNullOrEmpty(name))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "Agents must present a client certificate."));
        }

        if (!string.Equals(name, hello.NodeName, StringComparison.Ordinal))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied,
                $"The certificate is for node '{name}', which may not speak for node '{hello.NodeName}'."));
        }
    }
}
