using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Transport;
using RollbackMesh.V1;

namespace RollbackMesh.Coordinator.Endpoints;

/// <summary>
/// AgentHub.Connect adapted to <see cref="AgentSessionHub"/>: the first message must be Hello; then each message goes
/// to the hub's matching method until the agent half-closes, the call breaks or the coordinator shuts down.
/// Under TLS a node may speak only for itself: the Hello's node name must equal its certificate's common name.
/// </summary>
internal static class AgentHubEndpoint
{
    public static GrpcServiceEndpoints MapAgentHub(this IEndpointRouteBuilder endpoints)
    {
        var hub = endpoints.ServiceProvider.GetRequiredService<AgentSessionHub>();
        var stopping = endpoints.ServiceProvider.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        return endpoints.MapGrpcService()
            .Duplex(AgentHubMethods.Connect, (requests, responses, context) => ConnectAsync(hub, requests, responses, context, stopping));
    }

    private static async Task ConnectAsync(
        AgentSessionHub hub,
        IAsyncStreamReader<AgentMessage> requests,
        IServerStreamWriter<CoordinatorMessage> responses,
        ServerCallContext context,
        CancellationToken stopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, stopping);
        var ct = linked.Token;
        if (!await requests.MoveNext(ct).ConfigureAwait(false))
        {
            return;
        }

        var hello = requests.Current.Hello
            ?? throw new RpcException(new Status(StatusCode.InvalidArgument, "The first message on AgentHub.Connect must be Hello."));
        await Security.EndpointSecurity.AuthorizeHelloAsync(hello, context).ConfigureAwait(false); // security: cert identity, revocation, audit
        CheckIdentity(hello, context);

        var writer = new AgentStreamWriter(responses, hello.NodeName, ct);
        await using (writer.ConfigureAwait(false))
        {
            try
            {
                await hub.OnConnectedAsync(hello, writer, ct).ConfigureAwait(false);
                while (await requests.MoveNext(ct).ConfigureAwait(false))
                {
                    Dispatch(hub, hello.NodeName, requests.Current);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
            {
                throw new RpcException(new Status(StatusCode.Unavailable, "The coordinator is shutting down."));
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

        if (!context.HttpContext.Request.IsHttps)
        {
            return;
        }

        var name = context.ClientCertificate?.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
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
