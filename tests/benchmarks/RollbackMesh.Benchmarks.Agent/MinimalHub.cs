using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RollbackMesh.Transport;
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
        builder.Services.AddGrpcTransport();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.ConfigureGrpcListener()));
        _app = builder.Build();
        _app.MapGrpcService().Duplex<AgentMessage, CoordinatorMessage>(AgentHubMethods.Connect, async (requests, responses, context) =>
        {
            while (await requests.MoveNext(context.CancellationToken))
            {
                switch (requests.Current.BodyCase)
                {
                    case AgentMessage.BodyOneofCase.Hello:
                        _firstHello.TrySetResult(DateTime.UtcNow);
                        await responses.WriteAsync(new CoordinatorMessage { HelloAck = new HelloAck { CoordinatorVersion = "bench", HealthIntervalSeconds = 10 } });
                        break;
                    case AgentMessage.BodyOneofCase.Health:
                        Interlocked.Increment(ref _healthReports);
                        break;
                }
            }
        });
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
}
