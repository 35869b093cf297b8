using Microsoft.Extensions.Logging;
using RollbackMesh.Coordinator.Audit;
using Grpc.Core;

namespace RollbackMesh.Coordinator.Security;

/// <summary>
/// Identity checks for the endpoints: who is calling (from the client certificate of the call's TLS connection), and
/// whether a node speaks only for itself. Refusals become UNAUTHENTICATED / PERMISSION_DENIED and are audited. (Updates
/// for steps not dispatched to the reporting node are refused and audited by the executor: Execution.ForeignStepUpdates.)
/// </summary>
internal sealed partial class PeerAuthorizer(PeerIdentityResolver resolver, AuditLog audit, ILogger<PeerAuthorizer> logger)
{
    /// <summary>The calling node; throws UNAUTHENTICATED (no/invalid/revoked certificate) or PERMISSION_DENIED (an operator).</summary>
    public PeerIdentity RequireNode(ServerCallContext context) => Require(context, PeerKind.Node);

    /// <summary>The calling operator; throws UNAUTHENTICATED or PERMISSION_DENIED (a node certificate).</summary>
    public PeerIdentity RequireOperator(ServerCallContext context) => Require(context, PeerKind.Operator);

    /// <summary>
    /// A node may speak only for the identity in its certificate: Hello.node_name must equal the certificate's name.
    /// A mismatch is audited and refused with PERMISSION_DENIED.
    /// </summary>
    public async Task AuthorizeHelloAsync(PeerIdentity node, V1.Hello hello, ServerCallContext context)
    {
        if (node.Kind == PeerKind.Node && string.Equals(hello.NodeName, node.Name, StringComparison.Ordinal))
        {
            return;
        }

        await ReportImpersonationAsync(node, $"Hello for node '{hello.NodeName}'", context).ConfigureAwait(false);
        throw new RpcException(new Status(StatusCode.PermissionDenied, $"This certificate identifies node '{node.Name}'; it cannot say Hello as '{hello.NodeName}'."));
    }

    private PeerIdentity Require(ServerCallContext context, PeerKind kind)
    {
        var result = resolver.Resolve(context.GetHttpContext().Connection.ClientCertificate, kind);
        if (result.Identity is { } identity)
        {
            return identity;
        }

        Log.Refused(logger, context.Method, context.Peer, result.Detail);
        var code = result.Refusal == PeerRefusal.WrongKind ? StatusCode.PermissionDenied : StatusCode.Unauthenticated;
        throw new RpcException(new Status(code, $"{context.Method} needs a valid {kind.ToString().ToLowerInvariant()} certificate: {result.Detail}."));
    }

    private async Task ReportImpersonationAsync(PeerIdentity node, string attempt, ServerCallContext context)
    {
        Log.Impersonation(logger, node.Name, attempt, context.Peer);
        await audit.RecordAsync(node.Name, "security.impersonation", "", $"{attempt} from {context.Peer} refused").ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "{Method} from {Peer} refused: {Reason}")]
        public static partial void Refused(ILogger logger, string method, string peer, string reason);

        [LoggerMessage(EventId = 5102, Level = LogLevel.Warning, Message = "Node {Node} tried to speak for another identity ({Attempt}) from {Peer}")]
        public static partial void Impersonation(ILogger logger, string node, string attempt, string peer);
    }
}
