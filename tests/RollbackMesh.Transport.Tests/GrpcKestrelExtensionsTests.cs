using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using RollbackMesh.Transport.Tests.Infrastructure;
using RollbackMesh.Transport.Tests.Protos;

namespace RollbackMesh.Transport.Tests;

/// <summary>TLS, mutual TLS and HTTP/2 keepalive, C# client against C# server on real Kestrel.</summary>
public sealed class GrpcKestrelExtensionsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ConfigureGrpcListener_MutualTls_HandlerSeesClientCertificate()
    {
        using var serverCertificate = TestCertificates.Create("server");
        using var clientCertificate = TestCertificates.Create("agent-node-1");
        await using var server = await TestServer.StartAsync(
            serverCertificate,
            ClientCertificateMode.RequireCertificate,
            (presented, _, _) => presented.GetCertHashString() == clientCertificate.GetCertHashString());
        using var channel = GrpcChannel.ForAddress(new Uri($"https://localhost:{server.Port}"), new GrpcChannelOptions
        {
            ClientCertificates = new X509CertificateCollection { clientCertificate },
            ServerCertificateValidation = (_, presented, _, _) => presented?.GetCertHashString() == serverCertificate.GetCertHashString(),
        });

        var reply = await channel.UnaryAsync(TestServiceMethods.Echo, new TestRequest { Text = "mtls" });

        Assert.Equal("mtls", reply.Text);
        Assert.Equal(clientCertificate.Thumbprint, server.Service.LastConnection!.Value.Thumbprint);
        Assert.Equal("CN=agent-node-1", server.Service.LastConnection.Value.Subject);
    }

    [Fact]
    public async Task ConfigureGrpcListener_RequiredClientCertificateMissing_CallUnavailable()
    {
        using var serverCertificate = TestCertificates.Create("server");
        await using var server = await TestServer.StartAsync(serverCertificate, ClientCertificateMode.RequireCertificate, (_, _, _) => true);
        using var channel = GrpcChannel.ForAddress(new Uri($"https://localhost:{server.Port}"), new GrpcChannelOptions
        {
            ServerCertificateValidation = (_, _, _, _) => true,
        });

        var ex = await Assert.ThrowsAsync<RpcException>(() => channel.UnaryAsync(TestServiceMethods.Echo, new TestRequest()));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Null(server.Service.LastContext);
    }

    [Fact]
    public async Task ConfigureGrpcListener_TlsWithoutClientCertificate_ContextHasNone()
    {
        using var serverCertificate = TestCertificates.Create("server");
        await using var server = await TestServer.StartAsync(serverCertificate);
        using var channel = GrpcChannel.ForAddress(new Uri($"https://localhost:{server.Port}"), new GrpcChannelOptions
        {
            ServerCertificateValidation = (_, presented, _, _) => presented?.GetCertHashString() == serverCertificate.GetCertHashString(),
        });

        var reply = await channel.UnaryAsync(TestServiceMethods.Echo, new TestRequest { Text = "tls" });

        Assert.Equal("tls", reply.Text);
        Assert.Null(server.Service.LastConnection!.Value.Thumbprint);
        Assert.Equal("HTTP/2", server.Service.LastConnection.Value.Protocol);
    }

    [Fact]
    public async Task KeepAlive_ServerFreezes_ClientDetectsDeadPeerAndCallFailsUnavailable()
    {
        await using var server = await TestServer.StartAsync();
        using var proxy = new FreezableProxy(server.Port);
        using var channel = GrpcChannel.ForAddress(new Uri($"http://127.0.0.1:{proxy.Port}"), new GrpcChannelOptions
        {
            KeepAlivePingDelay = TimeSpan.FromSeconds(1),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(2),
        });
        using var call = channel.DuplexStreaming(TestServiceMethods.Chat);
        await call.RequestStream.WriteAsync(new TestRequest { Text = "alive" });
        Assert.True(await call.ResponseStream.MoveNext());

        proxy.Freeze();

        // Nothing else would end this read: the server never answers and the call has no deadline.
        var ex = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext().WaitAsync(Patience));
        Assert.True(ex.StatusCode == StatusCode.Unavailable, ex.Status.ToString());
    }

    [Fact]
    public async Task ConfigureGrpcKeepAlive_ClientFreezes_ServerDetectsDeadPeerAndCancelsHandler()
    {
        await using var server = await TestServer.StartAsync(
            kestrel: options => options.ConfigureGrpcKeepAlive(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)));
        using var proxy = new FreezableProxy(server.Port);
        using var channel = GrpcChannel.ForAddress(new Uri($"http://127.0.0.1:{proxy.Port}"));
        using var call = channel.DuplexStreaming(TestServiceMethods.Chat);
        await call.RequestStream.WriteAsync(new TestRequest { Text = "server-side-keepalive" });
        Assert.True(await call.ResponseStream.MoveNext());

        proxy.Freeze();

        await server.Service.WhenCancelled("server-side-keepalive").WaitAsync(Patience);
    }
}
