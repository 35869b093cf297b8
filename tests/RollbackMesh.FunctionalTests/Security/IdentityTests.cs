using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using RollbackMesh.Coordinator.Security;
using Grpc.Core;
using RollbackMesh.V1;
using Xunit;

namespace RollbackMesh.FunctionalTests.Security;

/// <summary>Who may call what on the real coordinator: nodes speak only for themselves, operators only as operators.</summary>
public sealed class IdentityTests
{
    [Fact]
    public async Task Connect_NoClientCertificate_Unauthenticated()
    {
        await using var coordinator = await SecureCoordinator.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => SecurityCalls.HelloAsync(coordinator, null, "node-1"));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task Connect_CertificateFromAnotherCa_Refused()
    {
        await using var coordinator = await SecureCoordinator.StartAsync();
        using var other = CertificateAuthority.Create("RollbackMesh CA", DateTimeOffset.UtcNow);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var forged = other.IssueClient(new PublicKey(key), PeerKind.Node, "node-1", DateTimeOffset.UtcNow, TimeSpan.FromDays(1));
        using var withKey = forged.CopyWithPrivateKey(key);

        var error = await Record.ExceptionAsync(() => SecurityCalls.HelloAsync(coordinator, withKey, "node-1"));

        // The TLS handshake fails. With TLS 1.3 the client learns it only when the server drops the connection, so
        // depending on timing grpc-dotnet fails the Hello write (IOException) or ends the call (UNAVAILABLE, CANCELLED
        // or INTERNAL); either way no Hello reached the hub.
        Assert.True(
            error is IOException or RpcException { StatusCode: StatusCode.Unavailable or StatusCode.Cancelled or StatusCode.Internal },
            error?.ToString() ?? "the Hello was answered");
        Assert.DoesNotContain(coordinator.Logs.Records, e => e.Message.Contains("Node node-1 connected", StringComparison.Ordinal));
        Assert.Null(coordinator.Fleet.Get("node-1"));
    }

    [Fact]
    public async Task Connect_HelloForAnotherNode_PermissionDeniedAndAudited()
    {
        await using var coordinator = await SecureCoordinator.StartAsync();
        var paths = await coordinator.EnrollAsync("node-1");
        using var certificate = X509Certificate2.CreateFromPemFile(paths.Certificate, paths.Key);

        var error = await Assert.ThrowsAsync<RpcException>(() => SecurityCalls.HelloAsync(coordinator, certificate, "node-2"));

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains(coordinator.Audit.Query("", 100), e => e.Who == "node-1" && e.What == "security.impersonation" && e.Detail.Contains("node-2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Connect_RemovedNode_Unauthenticated()
    {
        await using var coordinator = await SecureCoordinator.StartAsync();
        var paths = await coordinator.EnrollAsync("node-1");
        using var certificate = X509Certificate2.CreateFromPemFile(paths.Certificate, paths.Key);
        Assert.NotNull((await SecurityCalls.HelloAsync(coordinator, certificate, "node-1")).HelloAck);

        Assert.Equal(0, await SecurityCalls.RunCommandAsync("node", "remove", "node-1", "--data", coordinator.Paths.DataDirectory));
        var error = await Assert.ThrowsAsync<RpcException>(() => SecurityCalls.HelloAsync(coordinator, certificate, "node-1"));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains("revoked", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operator_OwnCertificate_CallsAreAuditedWithItsName()
    {
        await using var coordinator = await SecureCoordinator.StartAsync();
        var output = Path.Combine(coordinator.Directory, "ops");
        Assert.Equal(0, await SecurityCalls.RunCommandAsync("operator", "add", "alice", "--data", coordinator.Paths.DataDirectory, "--out", output));
        Assert.Equal(FileModes.OwnerOnly, FileModes.Of(Path.Combine(output, "alice.key")));
        using var alice = X509Certificate2.CreateFromPemFile(Path.Combine(output, "alice.crt"), Path.Combine(output, "alice.key"));
        using var channel = coordinator.Channel(alice);

        var node = await coordinator.EnrollAsync("server-1");
        using var nodeCertificate = X509Certificate2.CreateFromPemFile(node.Certificate, node.Key);
        using var nodeChannel = coordinator.Channel(nodeCertificate);
        using var stream = new AgentHub.AgentHubClient(nodeChannel).Connect();
        await stream.RequestStream.WriteAsync(new AgentMessage { Hello = new Hello { NodeName = "server-1", Roles = { "server", "first-server" } } });
        Assert.True(await stream.ResponseStream.MoveNext());

        // A refused command is audited under the caller's name just like one that succeeds.
        await Assert.ThrowsAsync<RpcException>(() => new Operator.OperatorClient(channel).PauseAsync(new RunControlRequest { RunId = "no-such-run", Reason = "test" }).ResponseAsync);
        await new Operator.OperatorClient(channel).PlanAsync(new PlanRequest { Runbook = "noop" });
        var history = await new Operator.OperatorClient(channel).HistoryAsync(new HistoryRequest());

        Assert.Contains(history.Entries, e => e is { Who: "alice", What: "run.pause_refused", RunId: "no-such-run" });
        Assert.Contains(history.Entries, e => e is { Who: "alice", What: "plan" });
        // An operator certificate cannot say Hello as a node.
        var error = await Assert.ThrowsAsync<RpcException>(() => SecurityCalls.HelloAsync(coordinator, alice, "alice"));
        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task Operator_CallWithNodeCertificate_PermissionDenied()
    {
        await using var coordinator = await SecureCoordinator.StartAsync();
        var paths = await coordinator.EnrollAsync("node-1");
        using var certificate = X509Certificate2.CreateFromPemFile(paths.Certificate, paths.Key);
        using var channel = coordinator.Channel(certificate);

        var error = await Assert.ThrowsAsync<RpcException>(() => new Operator.OperatorClient(channel).ListNodesAsync(new ListNodesRequest()).ResponseAsync);

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task Operator_NoCertificate_Unauthenticated()
    {
        await using var coordinator = await SecureCoordinator.StartAsync();
        using var channel = coordinator.Channel();

        var error = await Assert.ThrowsAsync<RpcException>(() => new Operator.OperatorClient(channel).ListNodesAsync(new ListNodesRequest()).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task Logs_AfterEnrollmentsAndRefusals_NeverContainTheTokenSecret()
    {
        await using var coordinator = await SecureCoordinator.StartAsync();
        var token = coordinator.CreateToken(uses: 1);
        var secret = token[(token.LastIndexOf('.') + 1)..];
        var client = new EnrollmentClientFacade(coordinator);
        await client.EnrollAsync(token, "node-1");
        await Assert.ThrowsAnyAsync<Exception>(() => client.EnrollAsync(token, "node-2"));
        await Assert.ThrowsAnyAsync<Exception>(() => client.EnrollAsync(token[..^4] + "0000", "node-3"));

        Assert.NotEmpty(coordinator.Logs.Records);
        Assert.DoesNotContain(secret, coordinator.Logs.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(coordinator.Audit.Query("", 100), e => e.Detail.Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain("PRIVATE KEY", coordinator.Logs.AllText, StringComparison.Ordinal);
    }

    private sealed class EnrollmentClientFacade(SecureCoordinator coordinator)
    {
        public Task EnrollAsync(string token, string node) => new Agent.Enrollment.EnrollmentClient(TimeProvider.System)
            .EnrollAsync(coordinator.Address, token, node, Agent.Enrollment.AgentCredentialPaths.In(Path.Combine(coordinator.Directory, node)), CancellationToken.None);
    }
}
