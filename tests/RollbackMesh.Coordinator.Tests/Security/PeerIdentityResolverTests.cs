using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RollbackMesh.Coordinator.Security;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Security;

public sealed class PeerIdentityResolverTests
{
    [Fact]
    public void Resolve_NodeCertificate_NodeIdentity()
    {
        using var f = new SecurityFixture();
        using var cert = f.Issue(PeerKind.Node, "node-1");

        var result = f.Resolver.Resolve(cert, PeerKind.Node);

        Assert.True(result.IsAccepted, result.Detail);
        Assert.Equal(new PeerIdentity(PeerKind.Node, "node-1", cert.SerialNumber, new DateTimeOffset(cert.NotAfter.ToUniversalTime())), result.Identity);
    }

    [Fact]
    public void Resolve_OperatorCertificateAsNode_WrongKind()
    {
        using var f = new SecurityFixture();
        using var cert = f.Issue(PeerKind.Operator, "alice");

        Assert.Equal(PeerKind.Operator, f.Resolver.Resolve(cert, PeerKind.Operator).Identity?.Kind);
        Assert.Equal(PeerRefusal.WrongKind, f.Resolver.Resolve(cert, PeerKind.Node).Refusal);
    }

    [Fact]
    public void Resolve_NodeCertificateAsOperator_WrongKind()
    {
        using var f = new SecurityFixture();
        using var cert = f.Issue(PeerKind.Node, "node-1");

        Assert.Equal(PeerRefusal.WrongKind, f.Resolver.Resolve(cert, PeerKind.Operator).Refusal);
    }

    [Fact]
    public void Resolve_None_NoCertificate()
    {
        using var f = new SecurityFixture();

        Assert.Equal(PeerRefusal.NoCertificate, f.Resolver.Resolve(null).Refusal);
    }

    [Fact]
    public void Resolve_CertificateFromAnotherCaWithSameNames_UntrustedIssuer()
    {
        using var f = new SecurityFixture();
        using var other = CertificateAuthority.Create("RollbackMesh CA", f.Time.GetUtcNow());
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var forged = other.IssueClient(new PublicKey(key), PeerKind.Node, "node-1", f.Time.GetUtcNow(), TimeSpan.FromDays(1));

        Assert.Equal(PeerRefusal.UntrustedIssuer, f.Resolver.Resolve(forged).Refusal);
    }

    [Fact]
    public void Resolve_SelfSignedWithNodeUri_UntrustedIssuer()
    {
        using var f = new SecurityFixture();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=node-1, OU=node", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri("rollbackmesh://node/node-1"));
        request.CertificateExtensions.Add(san.Build());
        using var self = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        Assert.Equal(PeerRefusal.UntrustedIssuer, f.Resolver.Resolve(self).Refusal);
    }

    [Fact]
    public void Resolve_Expired_OutsideValidity()
    {
        using var f = new SecurityFixture();
        using var cert = f.Issue(PeerKind.Node, "node-1", TimeSpan.FromDays(1));
        f.Time.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));

        Assert.Equal(PeerRefusal.OutsideValidity, f.Resolver.Resolve(cert).Refusal);
    }

    [Fact]
    public void Resolve_AfterNodeRemove_Revoked()
    {
        using var f = new SecurityFixture();
        using var cert = f.Issue(PeerKind.Node, "node-1");
        using var other = f.Issue(PeerKind.Node, "node-2");

        Assert.Equal(1, f.Ledger.RevokeAll(PeerKind.Node, "node-1", "test"));

        Assert.Equal(PeerRefusal.Revoked, f.Resolver.Resolve(cert).Refusal);
        Assert.True(f.Resolver.Resolve(other).IsAccepted);
        Assert.False(f.Ledger.HasActiveCertificate(PeerKind.Node, "node-1"));
    }

    [Fact]
    public void Resolve_ServerCertificate_NoIdentity()
    {
        using var f = new SecurityFixture();
        using var server = X509CertificateLoader.LoadCertificateFromFile(f.Paths.ServerCertificate);

        Assert.Equal(PeerRefusal.NoIdentity, f.Resolver.Resolve(server).Refusal);
    }
}
