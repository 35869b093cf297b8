using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using RollbackMesh.Protos.Channels;

namespace RollbackMesh.Cli.Connection;

/// <summary>
/// The CLI's TLS material and why a TLS connection was refused. The coordinator refuses a foreign-CA or expired operator
/// certificate in the handshake, which reaches the client only as a broken connection; the CLI holds the CA and its own
/// certificate, so it can say which side is wrong instead of "unreachable". A revoked certificate or a node certificate
/// passes the handshake and is refused per call with a reason (UNAUTHENTICATED / PERMISSION_DENIED).
/// </summary>
internal sealed class TlsTrust(string caPath, X509Certificate2 ca, string certificatePath, X509Certificate2 certificate, TimeProvider time)
{
    private readonly RemoteCertificateValidationCallback _pinned = PinnedCa.TrustOnly(ca);

    /// <summary>Why the coordinator's certificate was refused in the last handshake; null if it was not.</summary>
    public string? ServerRefusal { get; private set; }

    public X509Certificate2 ClientCertificate => certificate;

    /// <summary>The server-certificate check: <see cref="PinnedCa.TrustOnly"/>, remembering why it refused.</summary>
    public bool ValidateServer(object sender, X509Certificate? server, X509Chain? chain, SslPolicyErrors errors)
    {
        if (_pinned(sender, server, chain, errors))
        {
            return true;
        }

        ServerRefusal = ExplainServer(server, errors);
        return false;
    }

    /// <summary>
    /// Why a call that ended with a broken connection was refused by TLS, or null when TLS is not to blame (the
    /// connection was never made, or both certificates look right to this side).
    /// </summary>
    public string? ExplainFailure(Exception? failure)
    {
        if (ServerRefusal is { } server)
        {
            return server;
        }

        if (failure is null || Chain(failure).Any(e => e is SocketException))
        {
            return null;
        }

        return ExplainClient();
    }

    /// <summary>What is wrong with the operator certificate as this coordinator will judge it; null if nothing.</summary>
    internal string? ExplainClient()
    {
        var named = $"the operator certificate --cert '{certificatePath}' ({certificate.Subject})";
        if (!ChainsToCa(certificate))
        {
            return $"{named} is not issued by the coordinator's CA ({ca.Subject}, --ca '{caPath}') but by '{certificate.Issuer}'; " +
                   "ask the coordinator's administrator for one (rollbackmesh-coordinator operator add).";
        }

        var now = time.GetUtcNow();
        if (now >= certificate.NotAfter.ToUniversalTime())
        {
            return $"{named} expired on {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm:ss}Z; ask for a new one (rollbackmesh-coordinator operator add).";
        }

        if (now < certificate.NotBefore.ToUniversalTime())
        {
            return $"{named} is not valid before {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm:ss}Z; check this machine's clock.";
        }

        return IsClientAuth(certificate) ? null : $"{named} is not a client certificate (no TLS client-authentication usage).";
    }

    private string ExplainServer(X509Certificate? presented, SslPolicyErrors errors)
    {
        if (presented is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return "the coordinator presented no TLS certificate.";
        }

        using var server = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        if (!ChainsToCa(server))
        {
            return $"the coordinator's certificate ({server.Subject}, issued by '{server.Issuer}') is not issued by the CA in --ca '{caPath}' " +
                   $"({ca.Subject}): pass that coordinator's ca.crt, or check --coordinator points at the coordinator you mean.";
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return $"the coordinator's certificate ({server.Subject}) is not valid for the host name in --coordinator; use a name or address it was issued for.";
        }

        return $"the coordinator's certificate ({server.Subject}) is not valid now (valid {server.NotBefore.ToUniversalTime():u} to {server.NotAfter.ToUniversalTime():u}).";
    }

    // Validity is reported on its own, after the issuer.
    private bool ChainsToCa(X509Certificate2 subject) => PinnedCa.ChainsTo(subject, ca, checkValidityPeriod: false);

    private static bool IsClientAuth(X509Certificate2 subject) =>
        subject.Extensions.OfType<X509EnhancedKeyUsageExtension>()
            .SelectMany(e => e.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>())
            .Any(oid => oid.Value == PinnedCa.ClientAuthenticationOid);

    private static IEnumerable<Exception> Chain(Exception failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
