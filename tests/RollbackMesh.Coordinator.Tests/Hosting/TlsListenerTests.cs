using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using RollbackMesh.Coordinator.Hosting;
using RollbackMesh.Coordinator.Runbooks;
using Grpc.Core;
using Grpc.Net.Client;
using RollbackMesh.Protos.Channels;
using RollbackMesh.V1;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Hosting;

/// <summary>The TLS listener: mutual TLS against the configured client CA, caller identity from the certificate.</summary>
public sealed class TlsListenerTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rollbackmesh-tls-").FullName;
    private TestCertificates _certificates = null!;
    private WebApplication _app = null!;
    private Uri _address = null!;

    public async Task InitializeAsync()
    {
        _certificates = new TestCertificates(_directory);
        var (_, certPath, keyPath) = _certificates.Issue("coordinator", server: true);
        var tls = new CoordinatorTlsOptions(certPath, keyPath, _certificates.CaPath);
        var options = new CoordinatorHostOptions(new IPEndPoint(IPAddress.Loopback, 0), Path.Combine(_directory, "data"), tls, Insecure: false, RunbookDirectories: []);
        _app = CoordinatorApp.Build(options, RunbookCatalog.Load());
        await _app.StartAsync();
        _address = CoordinatorApp.BoundAddress(_app);
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task History_ClientCertificate_CallerIsItsCommonName()
    {
        using var agentChannel = Channel(_certificates.Issue("server-1", server: false).Certificate);
        using var agent = new AgentHub.AgentHubClient(agentChannel).Connect();
        await agent.RequestStream.WriteAsync(new AgentMessage { Hello = new Hello { NodeName = "server-1", Roles = { "first-server" } } });
        Assert.True(await agent.ResponseStream.MoveNext());
        using var channel = Channel(_certificates.Issue("alice", server: false).Certificate);

        await Assert.ThrowsAsync<RpcException>(() => new Operator.OperatorClient(channel).StartRunAsync(new StartRunRequest { Runbook = "noop", PlanHash = "x" }).ResponseAsync);
        var history = await new Operator.OperatorClient(channel).HistoryAsync(new HistoryRequest());

        Assert.Equal("https", _address.Scheme);
        // The refused command is audited under the certificate's name (a refusal is audited like a success).
        Assert.Contains(history.Entries, e => e is { Who: "alice", What: "run.start_refused" });
    }

    [Fact]
    public async Task Connect_CertificateForAnotherNode_PermissionDenied()
    {
        using var channel = Channel(_certificates.Issue("node-a", server: false).Certificate);
        using var call = new AgentHub.AgentHubClient(channel).Connect();

        await call.RequestStream.WriteAsync(new AgentMessage { Hello = new Hello { NodeName = "node-b" } });
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());

        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
    }

    [Fact]
    public async Task Connect_CertificateForThisNode_HelloAck()
    {
        using var channel = Channel(_certificates.Issue("node-a", server: false).Certificate);
        using var call = new AgentHub.AgentHubClient(channel).Connect();

        await call.RequestStream.WriteAsync(new AgentMessage { Hello = new Hello { NodeName = "node-a" } });

        Assert.True(await call.ResponseStream.MoveNext());
        Assert.NotNull(call.ResponseStream.Current.HelloAck);
    }

    [Fact]
    public async Task ListNodes_ClientCertificateFromOtherCa_Refused()
    {
        var stranger = new TestCertificates(Directory.CreateDirectory(Path.Combine(_directory, "other")).FullName);
        using var channel = Channel(stranger.Issue("mallory", server: false).Certificate);

        var error = await Assert.ThrowsAsync<RpcException>(() => new Operator.OperatorClient(channel).ListNodesAsync(new ListNodesRequest()).ResponseAsync);

        // TLS 1.3: the server refuses the certificate after the client's handshake has finished, so the refusal arrives as
        // a failed connection (UNAVAILABLE) or a reset while the request is sent (INTERNAL), depending on timing.
        Assert.Contains(error.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
    }

    private GrpcChannel Channel(X509Certificate2 client) => RollbackMeshChannel.Create(_address, new ChannelSettings
    {
        ClientCertificate = client,
        ServerCertificateValidation = (_, certificate, _, _) => certificate is X509Certificate2 server && ChainsToTestCa(server),
    });

    private bool ChainsToTestCa(X509Certificate2 server) => PinnedCa.ChainsTo(server, _certificates.Ca);
}
