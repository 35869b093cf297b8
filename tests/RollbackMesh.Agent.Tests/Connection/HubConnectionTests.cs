using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using RollbackMesh.Agent.Connection;
using RollbackMesh.Agent.Hosting;
using RollbackMesh.Agent.Tests.Configuration;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Connection;

public sealed class HubConnectionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Agent_RealKestrelHubWithStandInStepRunner_SendsHelloHeartbeatsAndReconnectsAfterRestart()
    {
        await using var server = new HubServer();
        await server.StartAsync();
        using var sandbox = new DirectoryCleanup(Directory.CreateTempSubdirectory("rbm-agent-conn-").FullName);
        using var config = new TempConfig($"""
            nodeName: node-7
            roles: [server, first-server]
            cluster: edge-07
            labels:
              rack: r1
            coordinator:
              address: http://127.0.0.1:{server.Port}
              insecure: true
            healthInterval: 1s
            k3sDataDir: {sandbox.Path}/k3s
            dataDirectories: [{sandbox.Path}]
            systemBusAddress: unix:path={sandbox.Path}/no-bus
            """);
        var builder = AgentHostFactory.CreateBuilder(new AgentCommandLine(config.Path), new Dictionary<string, string?>());
        builder.Services.Replace(ServiceDescriptor.Singleton<IStepExecutor, StandInStepRunner>());
        builder.Services.Replace(ServiceDescriptor.Singleton<IJournalReader, StandInJournal>());
        builder.Services.Replace(ServiceDescriptor.Singleton(new ReconnectBackoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), Random.Shared)));
        using var host = builder.Build();
        await host.StartAsync();

        // First stream: Hello, then the journal's recent outcomes, then health reports every second.
        var first = await server.NextSessionAsync(Timeout);
        var hello = (await first.ReceiveAsync(Timeout)).Hello;
        Assert.NotNull(hello);
        Assert.Equal("node-7", hello.NodeName);
        Assert.Equal("edge-07", hello.Cluster);
        Assert.Equal(["server", "first-server"], hello.Roles);
        Assert.Equal("r1", hello.Labels["rack"]);
        Assert.Equal(["no_op"], hello.Capabilities);
        Assert.Equal("none", hello.Facts["datastore"]);
        Assert.True(hello.Facts.ContainsKey("os") && hello.Facts.ContainsKey("arch") && hello.Facts.ContainsKey("tool.k3s"));
        Assert.Equal("s-done", (await first.ReceiveAsync(Timeout)).Journal.Entries.Single().StepId);
        await first.SendAsync(new CoordinatorMessage { HelloAck = new HelloAck { CoordinatorVersion = "test" } });
        var health1 = await first.ReceiveAsync(m => m.Health is not null, Timeout);
        var health2 = await first.ReceiveAsync(m => m.Health is not null, Timeout);
        Assert.True(health2.Health.At.ToDateTimeOffset() > health1.Health.At.ToDateTimeOffset());

        // Commands flow to the step runner and its updates come back; journal queries are answered.
        await first.SendAsync(new CoordinatorMessage { Step = new StepCommand { RunId = "r1", StepId = "s1", Action = new V1.Action { NoOp = new NoOp() } } });
        var done = await first.ReceiveAsync(m => m.StepUpdate is { State: StepState.Succeeded }, Timeout);
        Assert.Equal("s1", done.StepUpdate.StepId);
        var next = await first.ReceiveAsync(m => m.Health is not null, Timeout);
        Assert.Equal(StepState.Succeeded, next.Health.LastStepState);
        await first.SendAsync(new CoordinatorMessage { JournalQuery = new JournalQuery { RunId = "r1" } });
        var answer = await first.ReceiveAsync(m => m.Journal is not null, Timeout);
        Assert.Equal("r1", answer.Journal.Entries.Single().RunId);

        // The coordinator restarts on the same port: the agent reconnects, says Hello again and re-sends its journal.
        var port = server.Port;
        await server.StopAsync();
        await server.StartAsync(port);
        var second = await server.NextSessionAsync(Timeout);
        Assert.Equal("node-7", (await second.ReceiveAsync(Timeout)).Hello.NodeName);
        Assert.Equal("s-done", (await second.ReceiveAsync(Timeout)).Journal.Entries.Single().StepId);
        await second.SendAsync(new CoordinatorMessage { HelloAck = new HelloAck { CoordinatorVersion = "test" } });
        await second.ReceiveAsync(m => m.Health is not null, Timeout);
        Assert.Equal(ConnectionState.Connected, host.Services.GetRequiredService<ConnectionMonitor>().Current.State);

        await host.StopAsync();
        Assert.Equal(ConnectionState.Stopped, host.Services.GetRequiredService<ConnectionMonitor>().Current.State);
        Assert.Null(host.Services.GetRequiredService<AgentFailure>().Error);
    }

    [Fact]
    public async Task Agent_RealStepRunnerAndJournal_RunsANoOpAndResendsItsOutcomeAfterReconnect()
    {
        await using var server = new HubServer();
        await server.StartAsync();
        using var sandbox = new DirectoryCleanup(Directory.CreateTempSubdirectory("rbm-agent-conn-").FullName);
        using var config = new TempConfig($"""
            nodeName: node-8
            roles: [agent]
            cluster: test
            coordinator:
              address: http://127.0.0.1:{server.Port}
              insecure: true
            journalPath: {sandbox.Path}/journal.db
            quarantinePath: {sandbox.Path}/quarantine
            allowedRoots: [{sandbox.Path}]
            k3sDataDir: {sandbox.Path}/k3s
            dataDirectories: [{sandbox.Path}]
            systemBusAddress: unix:path={sandbox.Path}/no-bus
            """);
        var builder = AgentHostFactory.CreateBuilder(new AgentCommandLine(config.Path), new Dictionary<string, string?>());
        builder.Services.Replace(ServiceDescriptor.Singleton(new ReconnectBackoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), Random.Shared)));
        using var host = builder.Build();
        await host.StartAsync();

        var first = await server.NextSessionAsync(Timeout);
        var hello = (await first.ReceiveAsync(Timeout)).Hello;
        Assert.Contains("no_op", hello.Capabilities);
        Assert.Contains("k3s_killall", hello.Capabilities);
        Assert.Empty((await first.ReceiveAsync(Timeout)).Journal.Entries);
        await first.SendAsync(new CoordinatorMessage { HelloAck = new HelloAck() });
        await first.SendAsync(new CoordinatorMessage { Step = new StepCommand { RunId = "run-1", StepId = "step-1", Action = new V1.Action { NoOp = new NoOp() } } });
        var done = await first.ReceiveAsync(m => m.StepUpdate?.Result is not null, Timeout);
        Assert.Equal(StepState.Succeeded, done.StepUpdate.State);

        await server.StopAsync();
        await server.StartAsync(server.Port);
        var second = await server.NextSessionAsync(Timeout);
        Assert.Equal("node-8", (await second.ReceiveAsync(Timeout)).Hello.NodeName);
        var entry = Assert.Single((await second.ReceiveAsync(Timeout)).Journal.Entries);
        Assert.Equal(("run-1", "step-1", StepState.Succeeded), (entry.RunId, entry.StepId, entry.State));

        await host.StopAsync();
    }

    private sealed class DirectoryCleanup(string path) : IDisposable
    {
        public string Path { get; } = path;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }

    private sealed class StandInStepRunner : IStepExecutor
    {
        public IReadOnlyList<string> SupportedActionKinds => ["no_op"];

        public bool Cancel(string runId, string stepId) => false;

        public async Task ExecuteAsync(StepCommand command, Func<StepUpdate, CancellationToken, ValueTask> report, CancellationToken cancellationToken)
        {
            await report(new StepUpdate { RunId = command.RunId, StepId = command.StepId, State = StepState.Running }, cancellationToken);
            await report(new StepUpdate
            {
                RunId = command.RunId,
                StepId = command.StepId,
                State = StepState.Succeeded,
                Result = new StepResult { State = StepState.Succeeded, Summary = "nothing to do" },
            }, cancellationToken);
        }
    }

    private sealed class StandInJournal : IJournalReader
    {
        public Task<JournalReport> QueryAsync(string runId, CancellationToken cancellationToken) =>
            Task.FromResult(new JournalReport { Entries = { new JournalEntry { RunId = runId, StepId = "s1", State = StepState.Succeeded } } });

        public Task<JournalReport> RecentAsync(CancellationToken cancellationToken) =>
            Task.FromResult(new JournalReport { Entries = { new JournalEntry { RunId = "r0", StepId = "s-done", State = StepState.Succeeded } } });
    }
}
