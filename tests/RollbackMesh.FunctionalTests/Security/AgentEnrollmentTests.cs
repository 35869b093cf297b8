using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RollbackMesh.Agent.Configuration;
using RollbackMesh.Agent.Connection;
using RollbackMesh.Agent.Enrollment;
using RollbackMesh.V1;
using Xunit;

namespace RollbackMesh.FunctionalTests.Security;

/// <summary>
/// The agent's own wiring (AgentCredentials, GrpcHubConnector, CertificateRenewalService) against the real coordinator
/// over TLS: enrollment from a join token when there is no certificate, and renewal picked up by the next connection.
/// </summary>
public sealed class AgentEnrollmentTests
{
    [Fact]
    public async Task Connect_NoCertificateButToken_EnrollsThenSaysHelloOverMutualTls()
    {
        await using var coordinator = await SecureCoordinator.StartAsync();
        var token = coordinator.CreateToken();
        var (credentials, connector, paths) = Agent(coordinator, "node-1", token);

        var reply = await HelloAsync(connector, "node-1");

        Assert.NotNull(reply.HelloAck);
        Assert.Equal(FileModes.OwnerOnly, FileModes.Of(paths.Key));
        Assert.Equal(coordinator.CaFingerprint, CaPinning.Fingerprint(X509CertificateLoader.LoadCertificateFromFile(paths.Ca)));
        using var certificate = X509CertificateLoader.LoadCertificateFromFile(paths.Certificate);
        Assert.Equal("node-1", certificate.GetNameInfo(X509NameType.SimpleName, false));
        Assert.Contains(coordinator.Logs.Records, e => e.Message.Contains("Node node-1 connected", StringComparison.Ordinal));
        var secret = token[(token.LastIndexOf('.') + 1)..];
        Assert.DoesNotContain(secret, coordinator.Logs.AllText, StringComparison.Ordinal);
        Assert.Null(await credentials.RenewIfDueAsync(CancellationToken.None)); // fresh: not due
    }

    [Fact]
    public async Task Connect_AfterRenewal_UsesTheRenewedCertificate()
    {
        await using var coordinator = await SecureCoordinator.StartAsync();
        var clock = VirtualClock.Now();
        var (credentials, connector, paths) = Agent(coordinator, "node-1", coordinator.CreateToken(), clock);
        Assert.NotNull((await HelloAsync(connector, "node-1")).HelloAck);
        var first = X509CertificateLoader.LoadCertificateFromFile(paths.Certificate).SerialNumber;
        var renewal = new CertificateRenewalService(credentials, clock, NullLogger<CertificateRenewalService>.Instance);

        Assert.False(await renewal.CheckOnceAsync(CancellationToken.None));
        clock.Advance(TimeSpan.FromDays(21)); // past two thirds of the lifetime
        Assert.True(await renewal.CheckOnceAsync(CancellationToken.None));
        // With the first certificate revoked, only a connector that re-reads the files can still connect.
        coordinator.Ledger.Revoke(first, "node-1", "test: replaced");
        var reply = await HelloAsync(connector, "node-1");

        Assert.NotNull(reply.HelloAck);
        Assert.NotEqual(first, X509CertificateLoader.LoadCertificateFromFile(paths.Certificate).SerialNumber);
    }

    [Fact]
    public async Task Connect_TokenOfAnotherCoordinator_FailsWithoutRetryAndWritesNothing()
    {
        await using var coordinator = await SecureCoordinator.StartAsync();
        await using var other = await SecureCoordinator.StartAsync();
        var (_, connector, paths) = Agent(coordinator, "node-1", other.CreateToken());

        var error = await Assert.ThrowsAsync<EnrollmentException>(() => connector.ConnectAsync(CancellationToken.None));

        Assert.False(AgentConnectionService.IsTransient(error));
        Assert.False(File.Exists(paths.Key));
        Assert.False(File.Exists(paths.Certificate));
    }

    [Fact]
    public async Task Connect_CoordinatorNotListening_TransientSoTheAgentRetries()
    {
        Uri address;
        await using (var coordinator = await SecureCoordinator.StartAsync())
        {
            address = coordinator.Address;
        }

        var directory = Directory.CreateTempSubdirectory("rbm-agent-enroll-").FullName;
        try
        {
            var paths = AgentCredentialPaths.In(directory);
            const string secret = "5ec7e75ec7e75ec7e75ec7e7";
            var token = "K10" + new string('a', 64) + "::abc." + secret;
            var (_, connector) = Create(address, "node-1", token, paths, TimeProvider.System);

            var error = await Assert.ThrowsAsync<EnrollmentException>(() => connector.ConnectAsync(CancellationToken.None));

            Assert.True(AgentConnectionService.IsTransient(error));
            Assert.DoesNotContain(secret, error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static (AgentCredentials Credentials, GrpcHubConnector Connector, AgentCredentialPaths Paths) Agent(
        SecureCoordinator coordinator, string node, string token, TimeProvider? time = null)
    {
        var paths = AgentCredentialPaths.In(Path.Combine(coordinator.Directory, "agent-" + node, "tls"));
        var (credentials, connector) = Create(coordinator.Address, node, token, paths, time ?? TimeProvider.System);
        return (credentials, connector, paths);
    }

    private static (AgentCredentials, GrpcHubConnector) Create(Uri address, string node, string token, AgentCredentialPaths paths, TimeProvider time)
    {
        var options = Options.Create(new AgentOptions
        {
            NodeName = node,
            Roles = ["agent"],
            Coordinator = new CoordinatorOptions
            {
                Address = address.ToString(),
                Token = token,
                Tls = new TlsOptions { Ca = paths.Ca, Cert = paths.Certificate, Key = paths.Key },
            },
        });
        Assert.DoesNotContain(AgentOptionsValidator.Check(options.Value), p => p.StartsWith("coordinator.", StringComparison.Ordinal));
        var credentials = new AgentCredentials(options, new EnrollmentClient(time), NullLogger<AgentCredentials>.Instance);
        return (credentials, new GrpcHubConnector(options, credentials));
    }

    private static async Task<CoordinatorMessage> HelloAsync(GrpcHubConnector connector, string node)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var stream = await connector.ConnectAsync(timeout.Token);
        await stream.WriteAsync(new AgentMessage { Hello = new Hello { NodeName = node, AgentVersion = "test", Roles = { "agent" } } }, timeout.Token);
        await foreach (var message in stream.ReadAllAsync(timeout.Token))
        {
            return message;
        }

        throw new InvalidOperationException("The stream ended without a reply.");
    }
}
