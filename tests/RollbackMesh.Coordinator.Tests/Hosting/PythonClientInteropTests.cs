using System.Text.Json;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using RollbackMesh.Protos.Channels;
using RollbackMesh.Protos.Tests.Infrastructure;
using RollbackMesh.TransportTest;
using Xunit;
using SelfSigned = RollbackMesh.Protos.Tests.Infrastructure.TestCertificates;

namespace RollbackMesh.Coordinator.Tests.Hosting;

/// <summary>Debian's python3-grpcio client (Interop/python/test_client.py) against the C# server on Kestrel.</summary>
public sealed class PythonClientCSharpServerTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private GrpcTestServer _server = null!;

    public async Task InitializeAsync() => _server = await GrpcTestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Unary_PythonClient_ReplyAndMetadataRoundTrip()
    {
        var result = await RunAsync("unary");

        Assert.Equal("hello", result.GetProperty("text").GetString());
        foreach (var part in new[] { "initial", "trailing" })
        {
            Assert.Equal("plain ascii", result.GetProperty(part).GetProperty("x-echo-text").GetString());
            Assert.Equal("000102faff", result.GetProperty(part).GetProperty("x-echo-data-bin").GetString());
        }
    }

    [Fact]
    public async Task Duplex_PythonClientSendsAfterEachReply_Interleaves()
    {
        var result = await RunAsync("chat");

        Assert.Equal(["one", "two", "three"], result.GetProperty("replies").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("OK", result.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Unary_HandlerFails_PythonClientGetsTrailersOnlyStatusAndMessage()
    {
        var result = await RunAsync("error_trailers_only");

        Assert.Equal("NOT_FOUND", result.GetProperty("code").GetString());
        Assert.Equal("no such node: n\u00f8de-7 \u2603 100%\r\nend", result.GetProperty("details").GetString());
    }

    [Fact]
    public async Task ServerStreaming_HandlerFailsMidStream_PythonClientGetsMessagesThenStatus()
    {
        var result = await RunAsync("error_midstream");

        Assert.Equal([0, 1, 2], result.GetProperty("received").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal("FAILED_PRECONDITION", result.GetProperty("code").GetString());
        Assert.Equal("stopped midway", result.GetProperty("details").GetString());
    }

    [Fact]
    public async Task Unary_PythonClientDeadline_DeadlineExceededAndHandlerCancelled()
    {
        var result = await RunAsync("deadline");

        Assert.Equal("DEADLINE_EXCEEDED", result.GetProperty("code").GetString());
        await _server.Service.WhenCancelled("slow").WaitAsync(Patience);
    }

    [Fact]
    public async Task Duplex_PythonClientCancels_HandlerTokenFires()
    {
        var result = await RunAsync("cancel");

        Assert.Equal("cancel-me", result.GetProperty("first").GetString());
        Assert.Equal("CANCELLED", result.GetProperty("code").GetString());
        await _server.Service.WhenCancelled("cancel-me").WaitAsync(Patience);
    }

    [Fact]
    public async Task Unary_PythonClientMessagesAtLimit_Succeed()
    {
        var result = await RunAsync("size_under");

        Assert.Equal(4 * Sized.Mib, result.GetProperty("request_size").GetInt32());
        Assert.Equal(4 * Sized.Mib, result.GetProperty("reply_size").GetInt32());
    }

    [Fact]
    public async Task Unary_PythonClientRequestOverLimit_ResourceExhausted()
    {
        var result = await RunAsync("size_over_request");

        Assert.Equal("RESOURCE_EXHAUSTED", result.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Unary_ReplyOverServerLimit_PythonClientGetsResourceExhausted()
    {
        var result = await RunAsync("size_over_reply");

        Assert.Equal("RESOURCE_EXHAUSTED", result.GetProperty("code").GetString());
    }

    [Fact]
    public async Task HealthCheck_PythonClient_Serving()
    {
        var result = await RunAsync("health");

        Assert.Equal("SERVING", result.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Unary_PythonClientCallsUnknownMethod_Unimplemented()
    {
        var result = await RunAsync("unimplemented");

        Assert.Equal("UNIMPLEMENTED", result.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Unary_PythonClientOverTls_Succeeds()
    {
        using var certificate = SelfSigned.Create();
        var (certPath, _) = SelfSigned.WritePem(certificate, Directory.CreateTempSubdirectory("rollbackmesh-tls-").FullName);
        await using var server = await GrpcTestServer.StartAsync(certificate, ClientCertificateMode.NoCertificate);

        var result = await RunAsync("unary", server, "--tls", certPath);

        Assert.Equal("hello", result.GetProperty("text").GetString());
    }

    private Task<JsonElement> RunAsync(string scenario) => RunAsync(scenario, _server);

    private static async Task<JsonElement> RunAsync(string scenario, GrpcTestServer server, params string[] extra)
    {
        var (exitCode, stdout, stderr) = await PythonPeer.RunAsync(
            Patience, "test_client.py", [$"127.0.0.1:{server.Port}", scenario, .. extra]);
        Assert.True(exitCode == 0, $"test_client.py {scenario} exited {exitCode}: {stderr}");
        var lastLine = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        Assert.True(server.Logs.Errors.Count == 0, string.Join("\n", server.Logs.Errors));
        return JsonDocument.Parse(lastLine).RootElement.Clone();
    }
}
