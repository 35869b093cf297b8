using System.Net;
using System.Security.Cryptography.X509Certificates;
using RollbackMesh.Coordinator.Security;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Security;

public sealed class CoordinatorInitializerTests
{
    [Fact]
    public void Initialize_EmptyDirectory_CreatesCaAndServerCertificateWithPrivateKeys()
    {
        using var dir = new TempRoot();
        var paths = new SecurityPaths(dir.Path);

        var result = new CoordinatorInitializer(TimeProvider.System).Initialize(paths, ["coord.example.net", "10.1.2.3"], TextWriter.Null);

        Assert.True(result.CaCreated);
        Assert.True(result.ServerCertificateCreated);
        Assert.Equal(FileModes.OwnerOnly, FileModes.Of(paths.CaKey));
        Assert.Equal(FileModes.OwnerOnly, FileModes.Of(paths.ServerKey));
        Assert.Contains("-----BEGIN PRIVATE KEY-----", File.ReadAllText(paths.CaKey), StringComparison.Ordinal);
        using var ca = X509CertificateLoader.LoadCertificateFromFile(paths.CaCertificate);
        Assert.True(ca.NotAfter - ca.NotBefore >= TimeSpan.FromDays(3649));
        Assert.NotNull(ca.GetECDsaPublicKey());
        Assert.Equal(result.CaFingerprint, CertificateAuthority.FingerprintOf(ca));
        using var server = X509CertificateLoader.LoadCertificateFromFile(paths.ServerCertificate);
        var san = server.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        var dns = san.EnumerateDnsNames().ToList();
        var ips = san.EnumerateIPAddresses().ToList();
        Assert.Contains("localhost", dns);
        Assert.Contains(Dns.GetHostName(), dns);
        Assert.Contains("coord.example.net", dns);
        Assert.Contains(IPAddress.Loopback, ips);
        Assert.Contains(IPAddress.Parse("10.1.2.3"), ips);
    }

    [Fact]
    public void Initialize_SecondRun_KeepsExistingKeysAndSaysSo()
    {
        using var dir = new TempRoot();
        var paths = new SecurityPaths(dir.Path);
        var initializer = new CoordinatorInitializer(TimeProvider.System);
        initializer.Initialize(paths, [], TextWriter.Null);
        var caKey = File.ReadAllText(paths.CaKey);
        var serverKey = File.ReadAllText(paths.ServerKey);
        var output = new StringWriter();

        var second = initializer.Initialize(paths, [], output);

        Assert.False(second.CaCreated);
        Assert.False(second.ServerCertificateCreated);
        Assert.Equal(caKey, File.ReadAllText(paths.CaKey));
        Assert.Equal(serverKey, File.ReadAllText(paths.ServerKey));
        Assert.Contains("CA already exists", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("Server certificate already exists", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Initialize_BadSan_Throws()
    {
        using var dir = new TempRoot();

        Assert.Throws<ArgumentException>(() =>
            new CoordinatorInitializer(TimeProvider.System).Initialize(new SecurityPaths(dir.Path), ["not a name!"], TextWriter.Null));
    }
}
