using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using RollbackMesh.Coordinator.Hosting;
using RollbackMesh.Protos.Channels;
using RollbackMesh.Protos.Tests.Infrastructure;
using RollbackMesh.TransportTest;
using Xunit;
using SelfSigned = RollbackMesh.Protos.Tests.Infrastructure.TestCertificates;

namespace RollbackMesh.Coordinator.Tests.Hosting;

/// <summary>
/// The coordinator's listener (<see cref="GrpcKestrelExtensions"/>): h2c, TLS, mutual TLS with the peer certificate
/// visible to service code, and server-side HTTP/2 keepalive; against the agent's and CLI's channel on real Kestrel.
/// (The client side of keepalive is RollbackMesh.Protos.Tests' RollbackMeshChannelTests.)
/// </summary>
public sealed class GrpcKestrelExtensionsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ConfigureGrpcListener_MutualTls_HandlerSeesClientCertificate()
    {
        using var serverCertificate = SelfSigned.Create("server");
        using var clientCertificate = SelfSigned.Create("agent-node-1");
        await using var server = await GrpcTestServer.StartAsync(
            serverCertificate,
            ClientCertificateMode.RequireCertificate,
            (presented, _, _) => presented.GetCertHashString() == clientCertificate.GetCertHashString());
        using var channel = RollbackMeshChannel.Create(new Uri($"https://localhost:{server.Port}"), new ChannelSettings
        {
            ClientCertificate = clientCertificate,
            ServerCertificateValidation = (_, presented, _, _) => presented?.GetCertHashString() == serverCertificate.GetCertHashString(),
        });

        var reply = await new TestService.TestServiceClient(channel).EchoAsync(new TestRequest { Text = "mtls" });

        Assert.Equal("mtls", reply.Text);
        Assert.Equal(clientCertificate.Thumbprint, server.Service.LastConnection!.Value.Thumbprint);
        Assert.Equal("CN=agent-node-1", server.Service.LastConnection.Value.Subject);
    }

    [Fact]
    public async Task ConfigureGrpcListener_RequiredClientCertificateMissing_CallRefusedBeforeTheHandler()
    {
        using var serverCertificate = SelfSigned.Create("server");
        await using var server = await GrpcTestServer.StartAsync(serverCertificate, ClientCertificateMode.RequireCertificate, (_, _, _) => true);
        using var channel = RollbackMeshChannel.Create(new Uri($"https://localhost:{server.Port}"), new ChannelSettings
        {
            ServerCertificateValidation = (_, _, _, _) => true,
        });

        var ex = await Assert.ThrowsAsync<RpcException>(() => new TestService.TestServiceClient(channel).EchoAsync(new TestRequest()).ResponseAsync);

        // Under TLS 1.3 the client finishes its handshake before the server has checked the certificate, so the refusal
        // reaches grpc-dotnet either as a failed connection (UNAVAILABLE) or as a connection reset while the request is
        // sent (INTERNAL), depending on timing. Either way the call never reaches the service.
        Assert.Contains(ex.StatusCode, new[] { StatusCode.Unavailable, StatusCode.Internal });
        Assert.Null(server.Service.LastContext);
    }

    [Fact]
    public async Task ConfigureGrpcListener_TlsWithoutClientCertificate_ContextHasNone()
    {
        using var serverCertificate = SelfSigned.Create("server");
        await using var server = await GrpcTestServer.StartAsync(serverCertificate);
        using var channel = RollbackMeshChannel.Create(new Uri($"https://localhost:{server.Port}"), new ChannelSettings
        {
            ServerCertificateValidation = (_, presented, _, _) => presented?.GetCertHashString() == serverCertificate.GetCertHashString(),
        });

        var reply = await new TestService.TestServiceClient(channel).EchoAsync(new TestRequest { Text = "tls" });

        Assert.Equal("tls", reply.Text);
        Assert.Null(server.Service.LastConnection!.Value.Thumbprint);
        Assert.Equal("HTTP/2", server.Service.LastConnection.Value.Protocol);
    }

    [Fact]
    public async Task ConfigureGrpcKeepAlive_ClientFreezes_ServerDetectsDeadPeerAndCancelsHandler()
    {
        await using var server = await GrpcTestServer.StartAsync(
            kestrel: options => options.ConfigureGrpcKeepAlive(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)));
        using var proxy = new FreezableProxy(server.Port);
        using var channel = RollbackMeshChannel.Create(new Uri($"http://127.0.0.1:{proxy.Port}"));
        using var call = new TestService.TestServiceClient(channel).Chat();
        await call.RequestStream.WriteAsync(new TestRequest { Text = "server-side-keepalive" });
        Assert.True(await call.ResponseStream.MoveNext());

        proxy.Freeze();

        await server.Service.WhenCancelled("server-side-keepalive").WaitAsync(Patience);
    }
}
