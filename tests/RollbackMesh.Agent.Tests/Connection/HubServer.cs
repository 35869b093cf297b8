using System.Net;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RollbackMesh.Transport;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Connection;

/// <summary>
/// A minimal coordinator side of AgentHub.Connect on a real in-process Kestrel (the project's gRPC transport, h2c on
/// loopback): every call becomes a <see cref="HubServerSession"/> the test can read from and write to.
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
        builder.Services.AddGrpcTransport();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen => listen.ConfigureGrpcListener()));
        _app = builder.Build();
        var stopping = _app.Lifetime.ApplicationStopping;
        _app.MapGrpcService().Duplex<AgentMessage, CoordinatorMessage>(AgentHubMethods.Connect, async (requests, responses, context) =>
        {
            // A restarting coordinator ends its streams; the agent must notice and reconnect.
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, stopping);
            var session = new HubServerSession(responses, linked.Token);
            await _sessions.Writer.WriteAsync(session, linked.Token);
            try
            {
                while (await requests.MoveNext(linked.Token))
                {
                    await session.Received.Writer.WriteAsync(requests.Current, linked.Token);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
            }
            finally
            {
                session.Received.Writer.TryComplete();
            }
        });
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
}
