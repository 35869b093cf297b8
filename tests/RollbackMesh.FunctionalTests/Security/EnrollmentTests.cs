using System.Security.Cryptography.X509Certificates;
using RollbackMesh.Agent.Enrollment;
using RollbackMesh.Coordinator.Security;
using Grpc.Core;
using RollbackMesh.V1;
using Xunit;

namespace RollbackMesh.FunctionalTests.Security;

/// <summary>Join-token enrollment and renewal against the real coordinator over real TLS.</summary>
public sealed class EnrollmentTests
{
    [Fact]
    public async Task Enroll_ValidToken_NodeCertificateBoundToNameAndConnectWorks()
    {
        await using var coordinator = await SecureCoordinator.StartAsync();

        var paths = await coordinator.EnrollAsync("node-1");

        Assert.Equal(FileModes.OwnerOnly, FileModes.Of(paths.Key));
        using var certificate = X509Certificate2.CreateFromPemFile(paths.Certificate, paths.Key);
        Assert.Equal("node-1", certificate.GetNameInfo(X509NameType.SimpleName, false));
        Assert.Contains("OU=node", certificate.Subject, StringComparison.Ordinal);
        Assert.Contains("rollbackmesh://node/node-1", certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().Format(false), StringComparison.Ordinal);
        Assert.InRange(certificate.NotAfter - certificate.NotBefore, TimeSpan.FromDays(29), TimeSpan.FromDays(31));
        Assert.Equal(coordinator.CaFingerprint, CaPinning.Fingerprint(X509CertificateLoader.LoadCertificateFromFile(paths.Ca)));
        var ack = await SecurityCalls.HelloAsync(coordinator, certificate, "node-1");
        Assert.NotNull(ack.HelloAck);
        Assert.Contains(coordinator.Audit.Query("", 100), e => e.Who == "node-1" && e.What == "node.enroll");
    }

    [Fact]
    public async Task Enroll_TokenForAnotherCa_RefusedBeforeTheSecretIsSent()
    {
        await using var coordinator = await SecureCoordinator.StartAsync();
        var real = coordinator.CreateToken();
        var forged = "K10" + new string('a', 64) + real[(real.IndexOf("::", StringComparison.Ordinal))..];
        var paths = AgentCredentialPaths.In(Path.Combine(coordinator.Directory, "agent"));

        var error = await Assert.ThrowsAsync<EnrollmentException>(() =>
            new EnrollmentClient(TimeProvider.System).EnrollAsync(coordinator.Address, forged, "node-1", paths, CancellationToken.None));

        Assert.Contains("nothing was sent", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(paths.Key));
        Assert.DoesNotContain(coordinator.Audit.Query("", 100), e => e.What.StartsWith("security.enroll", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Enroll_UsedUpToken_Unauthenticated()
    {
        await using var coordinator = await SecureCoordinator.StartAsync();
        var token = coordinator.CreateToken(uses: 1);
        var client = new EnrollmentClient(TimeProvider.System);
        await client.EnrollAsync(coordinator.Address, token, "node-1", AgentCredentialPaths.In(Path.Combine(coordinator.Directory, "a1")), CancellationToken.None);

        var error = await Assert.ThrowsAsync<EnrollmentException>(() =>
            client.EnrollAsync(coordinator.Address, token, "node-2", AgentCredentialPaths.In(Path.Combine(coordinator.Directory, "a2")), CancellationToken.None));

        Assert.Contains("Unauthenticated", error.Message, StringComparison.Ordinal);
        Assert.Contains("used as often as allowed", error.Message, StringComparison.Ordinal);
        Assert.Contains(coordinator.Audit.Query("", 100), e => e.Who == "node-2" && e.What == "security.enroll-refused");
    }

    [Fact]
    public async Task Enroll_ExpiredToken_Unauthenticated()
    {
        await using var coordinator = await SecureCoordinator.StartAsync();
        var token = coordinator.CreateToken(ttl: TimeSpan.FromMilliseconds(300));
        await Task.Delay(600);

        var error = await Assert.ThrowsAsync<EnrollmentException>(() => new EnrollmentClient(TimeProvider.System)
            .EnrollAsync(coordinator.Address, token, "node-1", AgentCredentialPaths.In(Path.Combine(coordinator.Directory, "a")), CancellationToken.None));

        Assert.Contains("expired", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enroll_NameOfEnrolledNode_AlreadyExistsUntilRemoved()
    {
        await using var coordinator = await SecureCoordinator.StartAsync();
        await coordinator.EnrollAsync("node-1");

        var error = await Assert.ThrowsAsync<EnrollmentException>(() => coordinator.EnrollAsync("node-1"));
        Assert.Contains("AlreadyExists", error.Message, StringComparison.Ordinal);

        Assert.Equal(0, await SecurityCalls.RunCommandAsync("node", "remove", "node-1", "--data", coordinator.Paths.DataDirectory));
        var again = await coordinator.EnrollAsync("node-1");
        Assert.True(File.Exists(again.Certificate));
    }

    [Fact]
    public async Task Renew_CurrentCertificate_NewKeyAndSerialForSameNode()
    {
        await using var coordinator = await SecureCoordinator.StartAsync();
        var paths = await coordinator.EnrollAsync("node-1");
        using var before = X509Certificate2.CreateFromPemFile(paths.Certificate, paths.Key);

        using var renewed = await new EnrollmentClient(TimeProvider.System).RenewAsync(coordinator.Address, paths, CancellationToken.None);

        using var after = X509Certificate2.CreateFromPemFile(paths.Certificate, paths.Key);
        Assert.NotEqual(before.SerialNumber, after.SerialNumber);
        Assert.NotEqual(before.GetPublicKeyString(), after.GetPublicKeyString());
        Assert.Equal("node-1", after.GetNameInfo(X509NameType.SimpleName, false));
        Assert.NotNull((await SecurityCalls.HelloAsync(coordinator, after, "node-1")).HelloAck);
        Assert.Contains(coordinator.Audit.Query("", 100), e => e.Who == "node-1" && e.What == "node.renew");
    }

    [Fact]
    public async Task RenewIfDue_FreshThenLastThird_RenewsOnlyWhenDue()
    {
        await using var coordinator = await SecureCoordinator.StartAsync();
        var paths = await coordinator.EnrollAsync("node-1");
        var serial = X509CertificateLoader.LoadCertificateFromFile(paths.Certificate).SerialNumber;
        var agentClock = VirtualClock.Now();

        Assert.False(await new EnrollmentClient(agentClock).RenewIfDueAsync(coordinator.Address, paths, CancellationToken.None));
        Assert.Equal(serial, X509CertificateLoader.LoadCertificateFromFile(paths.Certificate).SerialNumber);

        agentClock.Advance(TimeSpan.FromDays(21));
        Assert.True(await new EnrollmentClient(agentClock).RenewIfDueAsync(coordinator.Address, paths, CancellationToken.None));
        Assert.NotEqual(serial, X509CertificateLoader.LoadCertificateFromFile(paths.Certificate).SerialNumber);
    }

    [Fact]
    public async Task Renew_WithoutCertificate_Unauthenticated()
    {
        await using var coordinator = await SecureCoordinator.StartAsync();
        using var channel = coordinator.Channel();

        var error = await Assert.ThrowsAsync<RpcException>(() => new AgentHub.AgentHubClient(channel).EnrollAsync(new EnrollRequest { NodeName = "node-1", CsrDer = Google.Protobuf.ByteString.CopyFrom(1, 2, 3) }).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task Renew_AfterNodeRemove_Refused()
    {
        await using var coordinator = await SecureCoordinator.StartAsync();
        var paths = await coordinator.EnrollAsync("node-1");
        Assert.Equal(0, await SecurityCalls.RunCommandAsync("node", "remove", "node-1", "--data", coordinator.Paths.DataDirectory));

        var error = await Assert.ThrowsAsync<EnrollmentException>(() =>
            new EnrollmentClient(TimeProvider.System).RenewAsync(coordinator.Address, paths, CancellationToken.None));

        Assert.Contains("revoked", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enroll_BurstOfAttempts_RateLimited()
    {
        await using var coordinator = await SecureCoordinator.StartAsync(o => o.EnrollmentBurst = 3);
        using var channel = coordinator.Channel();

        for (var i = 0; i < 3; i++)
        {
            await new AgentHub.AgentHubClient(channel).EnrollAsync(new EnrollRequest());
        }

        var error = await Assert.ThrowsAsync<RpcException>(() => new AgentHub.AgentHubClient(channel).EnrollAsync(new EnrollRequest()).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public void RenewalPolicy_LastThirdOfLifetime_Due()
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var start = DateTimeOffset.UtcNow;
        using var certificate = new CertificateRequest("CN=n", key, System.Security.Cryptography.HashAlgorithmName.SHA256)
            .CreateSelfSigned(start, start.AddDays(30));

        Assert.False(RenewalPolicy.IsDue(certificate, start.AddDays(19)));
        Assert.True(RenewalPolicy.IsDue(certificate, start.AddDays(20).AddMinutes(1)));
    }
}
