using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using RollbackMesh.V1;

namespace RollbackMesh.Coordinator.Tests.Endpoints;

/// <summary>
/// An agent speaking AgentHub.Connect over a real HTTP/2 stream: says Hello, reports health, and (when
/// <see cref="AnswerStepsAsync"/> runs) answers every StepCommand with success.
/// </summary>
internal sealed class TestAgent : IAsyncDisposable
{
    private readonly AsyncDuplexStreamingCall<AgentMessage, CoordinatorMessage> _call;

    private TestAgent(string name, AsyncDuplexStreamingCall<AgentMessage, CoordinatorMessage> call)
    {
        Name = name;
        _call = call;
    }

    public string Name { get; }

    public IAsyncStreamReader<CoordinatorMessage> Incoming => _call.ResponseStream;

    /// <summary>Opens the stream and sends Hello; does not read the HelloAck.</summary>
    public static async Task<TestAgent> ConnectAsync(GrpcChannel channel, string name, params string[] roles)
    {
        var call = new AgentHub.AgentHubClient(channel).Connect();
        var hello = new Hello { NodeName = name, AgentVersion = "0.1.0-test" };
        hello.Roles.Add(roles);
        hello.Capabilities.Add("no_op");
        await call.RequestStream.WriteAsync(new AgentMessage { Hello = hello });
        return new TestAgent(name, call);
    }

    public Task SendAsync(AgentMessage message) => _call.RequestStream.WriteAsync(message);

    /// <summary>Reports healthy, with plenty of space on the quarantine's disk.</summary>
    public Task SendHealthyAsync() => SendAsync(new AgentMessage { Health = Healthy() });

    public static HealthReport Healthy()
    {
        var report = new HealthReport { At = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow), Healthy = true, Datastore = DatastoreKind.None };
        report.Disks.Add(new DiskUsage { Path = "/", FreeBytes = 100UL << 30, TotalBytes = 200UL << 30 });
        report.Versions.Add("k3s", "v1.28.5+k3s1");
        return report;
    }

    /// <summary>Answers StepCommands with SUCCEEDED (and a fresh health report) until the stream ends.</summary>
    public async Task AnswerStepsAsync(CancellationToken ct)
    {
        while (await Incoming.MoveNext(ct))
        {
            var message = Incoming.Current;
            if (message.BodyCase == CoordinatorMessage.BodyOneofCase.JournalQuery)
            {
                await SendAsync(new AgentMessage { Journal = new JournalReport() });
            }

            if (message.BodyCase != CoordinatorMessage.BodyOneofCase.Step)
            {
                continue;
            }

            var step = message.Step;
            var result = new StepResult { State = StepState.Succeeded, Summary = "done", Verified = true };
            await SendAsync(new AgentMessage { StepUpdate = new StepUpdate { RunId = step.RunId, StepId = step.StepId, State = StepState.Succeeded, Result = result } });
            await SendHealthyAsync();
        }
    }

    public Task CompleteAsync() => _call.RequestStream.CompleteAsync();

    public ValueTask DisposeAsync()
    {
        _call.Dispose();
        return ValueTask.CompletedTask;
    }
}
