using System.Net;
using System.Threading.Channels;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Connection;

/// <summary>
/// A minimal coordinator side of AgentHub.Connect on a real in-process Kestrel (Grpc.AspNetCore, h2c on loopback): every call becomes a <see cref="HubServerSession"/> the test can read from and write to.
/// </summary>
internal sealed class HubServer : IAsyncDisposable
{
    private readonly Channel<HubServerSession> _sessions = Channel.CreateUnbounded<HubServerSession>();
    private WebApplication? _app;

    /// <summary>The port the server listens on (kept across restarts).</summary>
    public int Port { get; private set; }

    /// <summary>Starts listening on <paramref name="port"/> (0: any free port).</summary>
    public async Task StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(this);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
        _app = builder.Build();
        _app.MapGrpcService<Service>();
        await _app.StartAsync();
        Port = new Uri(_app.Urls.First()).Port;
    }

    /// <summary>The next Connect call, failing after <paramref name="timeout"/>.</summary>
    public async Task<HubServerSession> NextSessionAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        return await _sessions.Reader.ReadAsync(cancellation.Token);
    }

    /// <summary>Stops the server (a coordinator going down).</summary>
    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private sealed class Service(HubServer server, IHostApplicationLifetime lifetime) : AgentHub.AgentHubBase
    {
        public override async Task Connect(
            IAsyncStreamReader<AgentMessage> requestStream, IServerStreamWriter<CoordinatorMessage> responseStream, ServerCallContext context)
        {
            // A restarting coordinator ends its streams; the agent must notice and reconnect.
            var stopping = lifetime.ApplicationStopping;
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, stopping);
            var session = new HubServerSession(responseStream, linked.Token);
            await server._sessions.Writer.WriteAsync(session, linked.Token);
            try
            {
                while (await requestStream.MoveNext(linked.Token))
                {
                    await session.Received.Writer.WriteAsync(requestStream.Current, linked.Token);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
            }
            finally
            {
                session.Received.Writer.TryComplete();
            }
        }
    }
}
