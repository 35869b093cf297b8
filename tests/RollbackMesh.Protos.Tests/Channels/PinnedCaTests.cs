using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RollbackMesh.Protos.Channels;

namespace RollbackMesh.Protos.Tests.Channels;

/// <summary>The one pinned-CA check the agent, the CLI and the coordinator share, on certificates made in the test.</summary>
public sealed class PinnedCaTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly X509Certificate2 _ca = CreateCa("CN=pinned CA");
    private readonly X509Certificate2 _otherCa = CreateCa("CN=other CA");

    public void Dispose()
    {
        _ca.Dispose();
        _otherCa.Dispose();
    }

    [Fact]
    public void ChainsTo_IssuedByThePinnedCa_Trusted()
    {
        using var leaf = Issue(_ca, "CN=node-1", PinnedCa.ClientAuthenticationOid, Now.AddDays(-1), Now.AddDays(1));

        Assert.True(PinnedCa.ChainsTo(leaf, _ca));
        Assert.True(PinnedCa.ChainsTo(leaf, _ca, requiredUsage: PinnedCa.ClientAuthenticationOid));
    }

    [Fact]
    public void ChainsTo_IssuedByAnotherCa_Refused()
    {
        using var leaf = Issue(_otherCa, "CN=node-1", PinnedCa.ClientAuthenticationOid, Now.AddDays(-1), Now.AddDays(1));

        Assert.False(PinnedCa.ChainsTo(leaf, _ca));
        Assert.False(PinnedCa.ChainsTo(leaf, _ca, checkValidityPeriod: false));
    }

    [Fact]
    public void ChainsTo_Expired_RefusedUnlessTheCallerJudgesValidityItself()
    {
        using var leaf = Issue(_ca, "CN=node-1", PinnedCa.ClientAuthenticationOid, Now.AddDays(-10), Now.AddDays(-1));

        Assert.False(PinnedCa.ChainsTo(leaf, _ca));
        Assert.True(PinnedCa.ChainsTo(leaf, _ca, checkValidityPeriod: false));
    }

    [Fact]
    public void ChainsTo_RequiredUsageMissing_Refused()
    {
        using var server = Issue(_ca, "CN=coordinator", "1.3.6.1.5.5.7.3.1", Now.AddDays(-1), Now.AddDays(1));

        Assert.True(PinnedCa.ChainsTo(server, _ca));
        Assert.False(PinnedCa.ChainsTo(server, _ca, requiredUsage: PinnedCa.ClientAuthenticationOid));
    }

    private static X509Certificate2 CreateCa(string subject)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(Now.AddDays(-30), Now.AddDays(30));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string subject, string usage, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        var serial = RandomNumberGenerator.GetBytes(8);
        return request.Create(ca, notBefore, notAfter, serial);
    }
}
