using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using RollbackMesh.Coordinator.Audit;
using RollbackMesh.Coordinator.Metrics;
using Grpc.Core;
using RollbackMesh.Protos.Enrollment;

namespace RollbackMesh.Coordinator.Security;

/// <summary>
/// AgentHub.Enroll. Three uses of the one rpc:
/// <list type="bullet">
/// <item>no token, no CSR: CA discovery. Returns only the CA certificate, so a new agent can check it against the
/// fingerprint in its token before it sends the token's secret anywhere (the TLS of this call is not yet trusted).</item>
/// <item>token and CSR: enrollment. The token is checked (CA fingerprint, secret in constant time, expiry, uses), the
/// CSR's self-signature proves possession of the key, and a node certificate bound to the node name is returned.</item>
/// <item>CSR, no token, over mTLS with a valid node certificate: renewal for the node in that certificate.</item>
/// </list>
/// Every call takes a token from the caller address's bucket first.
/// </summary>
internal sealed partial class EnrollmentHandler(
    CertificateAuthority ca,
    JoinTokenService tokens,
    CertificateLedger ledger,
    PeerIdentityResolver resolver,
    EnrollmentRateLimiter limiter,
    SecurityOptions options,
    AuditLog audit,
    TimeProvider time,
    ILogger<EnrollmentHandler> logger,
    CoordinatorMetrics metrics)
{
    /// <summary>Handles one Enroll call; a refusal (any RpcException) is counted by its status.</summary>
    public async Task<V1.EnrollResponse> EnrollAsync(V1.EnrollRequest request, ServerCallContext context)
    {
        try
        {
            return await HandleAsync(request, context).ConfigureAwait(false);
        }
        catch (RpcException refused)
        {
            metrics.EnrollmentRefused(refused.StatusCode);
            throw;
        }
    }

    private async Task<V1.EnrollResponse> HandleAsync(V1.EnrollRequest request, ServerCallContext context)
    {
        var address = context.GetHttpContext().Connection.RemoteIpAddress?.ToString() ?? context.Peer;
        if (!limiter.TryAcquire(address))
        {
            Log.RateLimited(logger, address);
            throw new RpcException(new Status(StatusCode.ResourceExhausted, "Too many enrollment attempts from this address; retry later."));
        }

        var caResponse = new V1.EnrollResponse { CaCertificateDer = ByteString.CopyFrom(ca.Certificate.RawData) };
        if (request.Token.Length == 0 && request.CsrDer.IsEmpty)
        {
            return caResponse;
        }

        var renewing = request.Token.Length == 0;
        var name = renewing ? await RenewingNodeAsync(request, context, address).ConfigureAwait(false) : request.NodeName;
        if (!CertificateNames.IsValidName(name))
        {
            throw Refuse(StatusCode.InvalidArgument, "node_name must be 1-63 characters of a-z, 0-9, '.', '_', '-'.");
        }

        var publicKey = ReadCsr(request.CsrDer);
        if (!renewing)
        {
            await RedeemAsync(request.Token, name, address).ConfigureAwait(false);
        }

        using var certificate = ca.IssueClient(publicKey, PeerKind.Node, name, time.GetUtcNow(), options.NodeCertificateLifetime);
        ledger.RecordIssued(certificate, PeerKind.Node, name);
        var what = renewing ? "node.renew" : "node.enroll";
        await audit.RecordAsync(name, what, "", $"certificate {certificate.SerialNumber} until {certificate.NotAfter.ToUniversalTime():O} from {address}").ConfigureAwait(false);
        Log.Issued(logger, what, name, certificate.SerialNumber, address);
        caResponse.CertificateDer = ByteString.CopyFrom(certificate.RawData);
        return caResponse;
    }

    private async Task<string> RenewingNodeAsync(V1.EnrollRequest request, ServerCallContext context, string address)
    {
        var result = resolver.Resolve(context.GetHttpContext().Connection.ClientCertificate, PeerKind.Node);
        if (result.Identity is not { } identity)
        {
            Log.Refused(logger, address, result.Detail);
            throw Refuse(StatusCode.Unauthenticated, "Renewal needs a valid node client certificate (or enroll with a join token): " + result.Detail);
        }

        if (request.NodeName.Length > 0 && request.NodeName != identity.Name)
        {
            await audit.RecordAsync(identity.Name, "security.impersonation", "", $"renewal asked for node '{request.NodeName}' from {address}").ConfigureAwait(false);
            throw Refuse(StatusCode.PermissionDenied, $"Node {identity.Name} may renew only its own certificate.");
        }

        return identity.Name;
    }

    private async Task RedeemAsync(string text, string name, string address)
    {
        if (!JoinToken.TryParse(text, out var token))
        {
            throw Refuse(StatusCode.InvalidArgument, "The join token is malformed.");
        }

        if (!CryptographicOperations.FixedTimeEquals(Convert.FromHexString(token.CaFingerprint), Convert.FromHexString(ca.Fingerprint)))
        {
            throw Refuse(StatusCode.FailedPrecondition, "The join token was made for a different CA.");
        }

        // A second node must not take over a name that has a live certificate: remove the node first.
        if (ledger.HasActiveCertificate(PeerKind.Node, name))
        {
            await audit.RecordAsync(name, "security.enroll-refused", "", $"already enrolled; attempt with token {token.Id} from {address}").ConfigureAwait(false);
            throw Refuse(StatusCode.AlreadyExists, $"Node {name} is already enrolled; run 'rollbackmesh-coordinator node remove {name}' first.");
        }

        var outcome = tokens.Redeem(token);
        if (outcome != TokenRedemption.Accepted)
        {
            await audit.RecordAsync(name, "security.enroll-refused", "", $"token {token.Id}: {outcome} from {address}").ConfigureAwait(false);
            Log.Refused(logger, address, $"token {token.Id}: {outcome}");
            throw Refuse(StatusCode.Unauthenticated, outcome switch
            {
                TokenRedemption.Expired => "The join token has expired.",
                TokenRedemption.UsedUp => "The join token has been used as often as allowed.",
                _ => "The join token is not valid.",
            });
        }
    }

    private PublicKey ReadCsr(ByteString der)
    {
        if (der.IsEmpty || der.Length > options.MaxCsrSize)
        {
            throw Refuse(StatusCode.InvalidArgument, "csr_der must be a PKCS#10 request of at most " + options.MaxCsrSize + " bytes.");
        }

        CertificateRequest csr;
        try
        {
            // Default load options verify the request's self-signature: proof the caller holds the private key.
            csr = CertificateRequest.LoadSigningRequest(der.ToByteArray(), HashAlgorithmName.SHA256);
        }
        catch (CryptographicException)
        {
            throw Refuse(StatusCode.InvalidArgument, "csr_der is not a valid, correctly signed PKCS#10 request.");
        }

        var strong = csr.PublicKey.Oid.Value switch
        {
            "1.2.840.10045.2.1" => csr.PublicKey.GetECDsaPublicKey() is { KeySize: >= 256 },
            "1.2.840.113549.1.1.1" => csr.PublicKey.GetRSAPublicKey() is { KeySize: >= 2048 },
            _ => false,
        };
        return strong ? csr.PublicKey : throw Refuse(StatusCode.InvalidArgument, "The CSR key must be ECDSA P-256 or stronger, or RSA of 2048 bits or more.");
    }

    private static RpcException Refuse(StatusCode code, string detail) => new(new Status(code, detail));

    private static partial class Log
    {
        [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Enrollment from {Address} rate-limited")]
        public static partial void RateLimited(ILogger logger, string address);

        [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Enrollment from {Address} refused: {Reason}")]
        public static partial void Refused(ILogger logger, string address, string reason);

        [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "{What}: issued certificate for node {Node} (serial {Serial}) to {Address}")]
        public static partial void Issued(ILogger logger, string what, string node, string serial, string address);
    }
}
