using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RollbackMesh.V1;

namespace RollbackMesh.Benchmarks.Agent;

/// <summary>The coordinator side of AgentHub.Connect reduced to what an idle agent needs: HelloAck, then listening.</summary>
internal sealed class MinimalHub : IAsyncDisposable
{
    private readonly TaskCompletionSource<DateTime> _firstHello = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? _app;
    private int _healthReports;

    public int Port { get; private set; }

    public Task<DateTime> FirstHello => _firstHello.Task;

    public int HealthReports => Volatile.Read(ref _healthReports);

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(this);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        _app = builder.Build();
        _app.MapGrpcService<Service>();
        await _app.StartAsync();
        Port = new Uri(_app.Urls.First()).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    private sealed class Service(MinimalHub hub) : AgentHub.AgentHubBase
    {
        public override async Task Connect(
            IAsyncStreamReader<AgentMessage> requestStream, IServerStreamWriter<CoordinatorMessage> responseStream, ServerCallContext context)
        {
            while (await requestStream.MoveNext(context.CancellationToken))
            {
                switch (requestStream.Current.BodyCase)
                {
                    case AgentMessage.BodyOneofCase.Hello:
                        hub._firstHello.TrySetResult(DateTime.UtcNow);
                        await responseStream.WriteAsync(new CoordinatorMessage { HelloAck = new HelloAck { CoordinatorVersion = "bench", HealthIntervalSeconds = 10 } });
                        break;
                    case AgentMessage.BodyOneofCase.Health:
                        Interlocked.Increment(ref hub._healthReports);
                        break;
                }
            }
        }
    }
}
