using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RollbackMesh.Agent.Configuration;
using RollbackMesh.Agent.Connection;
using RollbackMesh.Agent.Health;
using RollbackMesh.Agent.Hosting;
using RollbackMesh.Agent.Processes;
using Grpc.Core;

namespace RollbackMesh.Agent.Tests.Connection;

public sealed class AgentConnectionServiceTests
{
    [Fact]
    public async Task ExecuteAsync_CoordinatorUnavailable_RetriesAfterTheJitteredBackoffInVirtualTime()
    {
        var time = new TimerRecordingTimeProvider();
        var connector = new FailingConnector(() => new RpcException(new Status(StatusCode.Unavailable, "connection refused")));
        var monitor = new ConnectionMonitor();
        using var service = CreateService(connector, monitor, time, new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), new FixedRandom(0.5)));

        await service.StartAsync(CancellationToken.None);
        await connector.WaitForAttemptsAsync(1);
        await time.NextTimerAsync();
        Assert.Equal(ConnectionState.WaitingToReconnect, monitor.Current.State);
        Assert.Contains("connection refused", monitor.Current.Detail, StringComparison.Ordinal);

        time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Equal(1, connector.Attempts);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await connector.WaitForAttemptsAsync(2);

        // Second delay: half of a 2 s ceiling.
        await time.NextTimerAsync();
        time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.Equal(2, connector.Attempts);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await connector.WaitForAttemptsAsync(3);

        await service.StopAsync(CancellationToken.None);
        Assert.Equal(ConnectionState.Stopped, monitor.Current.State);
    }

    [Fact]
    public async Task ExecuteAsync_NonTransientError_RecordsTheFailureAndFaults()
    {
        var connector = new FailingConnector(() => new InvalidDataException("certificate file is garbage"));
        var failure = new AgentFailure();
        using var service = CreateService(connector, new ConnectionMonitor(), TimeProvider.System, new ReconnectBackoff(), failure);

        await service.StartAsync(CancellationToken.None);
        await connector.WaitForAttemptsAsync(1);
        await Assert.ThrowsAsync<InvalidDataException>(() => service.ExecuteTask!);

        Assert.IsType<InvalidDataException>(failure.Error);
    }

    [Theory]
    [InlineData(StatusCode.Unauthenticated, "certificate 0A of node n1 is revoked")]
    [InlineData(StatusCode.PermissionDenied, "This certificate identifies node 'n1'; it cannot say Hello as 'n2'.")]
    public async Task ExecuteAsync_CoordinatorRefusesTheNode_OneAttemptThenARefusalThatExits1(StatusCode code, string detail)
    {
        var time = new TimerRecordingTimeProvider();
        var connector = new FailingConnector(() => new RpcException(new Status(code, detail)));
        var monitor = new ConnectionMonitor();
        var failure = new AgentFailure();
        using var service = CreateService(connector, monitor, time, new ReconnectBackoff(), failure);

        await service.StartAsync(CancellationToken.None);
        var refused = await Assert.ThrowsAsync<AgentRefusedException>(() => service.ExecuteTask!);
        time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(1, connector.Attempts);
        Assert.Same(refused, failure.Error);
        Assert.Contains(detail, refused.Message, StringComparison.Ordinal);
        Assert.Contains("refused", monitor.Current.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusalOf_TlsHandshakeFailedInsideUnavailable_Refusal()
    {
        var handshake = new HttpRequestException("The SSL connection could not be established, see inner exception.",
            new System.Security.Authentication.AuthenticationException("The remote certificate was rejected by the provided RemoteCertificateValidationCallback."));
        var rpc = new RpcException(new Status(StatusCode.Unavailable, "Error starting gRPC call.", handshake));

        Assert.StartsWith("TLS handshake failed: The remote certificate was rejected", AgentConnectionService.RefusalOf(rpc), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(StatusCode.Unavailable)]
    [InlineData(StatusCode.Internal)]
    [InlineData(StatusCode.Cancelled)]
    [InlineData(StatusCode.ResourceExhausted)]
    public void RefusalOf_StatusARetryMayChange_NotARefusal(StatusCode code) =>
        Assert.Null(AgentConnectionService.RefusalOf(new RpcException(new Status(code, "x", new IOException("reset")))));

    private static AgentConnectionService CreateService(IHubConnector connector, ConnectionMonitor monitor, TimeProvider time,
        ReconnectBackoff backoff, AgentFailure? failure = null)
    {
        var options = new AgentOptions { Roles = ["server"] };
        var lastStep = new LastStepTracker();
        var outbox = new AgentOutbox(lastStep);
        var executor = new NoSteps();
        var collector = HealthCollector.Create(options, new NoUnits(), new ToolRunner(), lastStep, time);
        var session = new HubSession(new HelloFactory(options, executor), new NoJournal(),
            new HealthReporter(collector, lastStep, time, NullLogger<HealthReporter>.Instance),
            new StepDispatcher(executor, outbox, NullLogger<StepDispatcher>.Instance), outbox, NullLogger<HubSession>.Instance);
        return new AgentConnectionService(connector, session, backoff, monitor, time, Options.Create(options), failure ?? new AgentFailure(),
            NullLogger<AgentConnectionService>.Instance);
    }

    // These tests never connect, so no step or journal query ever arrives.
    private sealed class NoSteps : IStepExecutor
    {
        public IReadOnlyList<string> SupportedActionKinds => [];

        public Task ExecuteAsync(V1.StepCommand command, Func<V1.StepUpdate, CancellationToken, ValueTask> report, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("no steps");

        public bool Cancel(string runId, string stepId) => false;
    }

    private sealed class NoJournal : IJournalReader
    {
        public Task<V1.JournalReport> QueryAsync(string runId, CancellationToken cancellationToken) => throw new InvalidOperationException("no journal");

        public Task<V1.JournalReport> RecentAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("no journal");
    }

    private sealed class NoUnits : IUnitStateReader
    {
        public Task<UnitStatus> ReadAsync(string unit, CancellationToken cancellationToken) => throw new InvalidOperationException("no units");
    }

    private sealed class FailingConnector(Func<Exception> error) : IHubConnector
    {
        private int _attempts;

        public string Address => "http://127.0.0.1:1";

        public int Attempts => Volatile.Read(ref _attempts);

        public Task<IHubStream> ConnectAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _attempts);
            return Task.FromException<IHubStream>(error());
        }

        public async Task WaitForAttemptsAsync(int count)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (Attempts < count)
            {
                Assert.True(DateTime.UtcNow < deadline, $"expected {count} attempts, saw {Attempts}");
                await Task.Delay(5);
            }
        }
    }
}
