using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Security;
using RollbackMesh.Coordinator.Tests.Execution.Simulation;
using Xunit;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Tests.Security;

/// <summary>
/// A revocation written to the security state (as <c>node remove</c> does from its own process) cuts the node's open
/// stream, marks it removed, and ends its step in flight with a precise account instead of waiting for a reconnection.
/// </summary>
public sealed class RevocationWatcherTests : IDisposable
{
    private readonly TempRoot _directory = new();

    [Fact]
    public async Task Revoke_StepInFlight_StepFailsAsRemovedAtOnceAndNothingMoreIsDispatched()
    {
        using var certificate = NodeCertificate("agent1");
        var state = new SecurityStateFile(new SecurityPaths(_directory.Path));
        var ledger = new CertificateLedger(state, TimeProvider.System);
        ledger.RecordIssued(certificate, PeerKind.Node, "agent1");
        var agent = new SimulatedAgent("agent1", "agent")
        {
            CertificateSerial = certificate.SerialNumber,
            Behavior = c => StepBehavior.Ok(c.StepId.EndsWith("/a", StringComparison.Ordinal) ? 60_000 : 0),
        };
        // A reconnect timeout far beyond the test's patience: only the removal can end the step this soon.
        var options = new ExecutorOptions
        {
            QuarantinePath = "/var/lib/rollbackmesh/quarantine",
            TimeoutGrace = TimeSpan.FromMilliseconds(200),
            GatePollInterval = TimeSpan.FromMilliseconds(20),
            ReconnectTimeout = TimeSpan.FromMinutes(10),
            JournalTimeout = TimeSpan.FromSeconds(2),
        };
        await using var fleet = await SimulatedFleet.StartAsync([agent], options);
        using var watcher = new RevocationWatcher(state, ledger, fleet.Hub, fleet.Registry, TimeProvider.System, NullLogger<RevocationWatcher>.Instance);
        await watcher.StartAsync(CancellationToken.None);
        var started = await fleet.Executor.StartAsync(TestPlans.Create(TestPlans.Phase("agents", ["agent1"], ["a", "b"])), "tester");
        await fleet.WaitForAsync(started.Run.RunId, s => s.Steps[0].State == StepState.Running);

        Assert.Equal(1, ledger.RevokeAll(PeerKind.Node, "agent1", "node remove by test"));
        await fleet.Executor.WaitAsync(started.Run.RunId).WaitAsync(TimeSpan.FromSeconds(10));
        await watcher.StopAsync(CancellationToken.None);

        var result = fleet.Executor.Get(started.Run.RunId);
        Assert.Equal(RunState.Failed, result.Run.State);
        Assert.Equal(StepState.Failed, result.Steps[0].State);
        Assert.Equal("node agent1 was removed while step agents/agent1/a was running; its outcome on the node is unknown", result.Steps[0].Error);
        Assert.Equal(["agents/agent1/a"], agent.Commands);
        Assert.False(agent.Connected);
        Assert.False(fleet.Hub.IsConnected("agent1"));
        Assert.True(fleet.Registry.Get("agent1") is { Removed: true, Connected: false });
    }

    [Fact]
    public async Task Send_StepOverAStreamWhoseCertificateIsRevoked_RefusedAndTheStreamCutBeforeTheWatcherRuns()
    {
        var agent = new SimulatedAgent("agent1", "agent") { CertificateSerial = "0A1B" };
        await using var fleet = await SimulatedFleet.StartAsync([agent]);
        fleet.Hub.AttachRevocationCheck(serial => serial == "0A1B");

        var step = new V1.CoordinatorMessage { Step = new V1.StepCommand { RunId = "r", StepId = "agents/agent1/a" } };
        await Assert.ThrowsAsync<AgentUnavailableException>(() => fleet.Hub.SendAsync("agent1", step, CancellationToken.None).AsTask());

        Assert.Empty(agent.Commands);
        Assert.False(agent.Connected);
        Assert.False(fleet.Hub.IsConnected("agent1"));
    }

    [Fact]
    public async Task Revoke_OnlyTheOldCertificateAfterReEnrollment_NodeNotRemoved()
    {
        using var old = NodeCertificate("agent1");
        using var renewed = NodeCertificate("agent1");
        var state = new SecurityStateFile(new SecurityPaths(_directory.Path));
        var ledger = new CertificateLedger(state, TimeProvider.System);
        ledger.RecordIssued(old, PeerKind.Node, "agent1");
        ledger.RecordIssued(renewed, PeerKind.Node, "agent1");
        ledger.Revoke(old.SerialNumber, "agent1", "replaced");
        var agent = new SimulatedAgent("agent1", "agent") { CertificateSerial = renewed.SerialNumber };
        await using var fleet = await SimulatedFleet.StartAsync([agent]);
        using var watcher = new RevocationWatcher(state, ledger, fleet.Hub, fleet.Registry, TimeProvider.System, NullLogger<RevocationWatcher>.Instance);

        await watcher.StartAsync(CancellationToken.None);
        await watcher.StopAsync(CancellationToken.None);

        Assert.True(agent.Connected);
        Assert.True(fleet.Registry.Get("agent1") is { Removed: false, Connected: true });
    }

    public void Dispose() => _directory.Dispose();

    private static X509Certificate2 NodeCertificate(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + name, key, HashAlgorithmName.SHA256);
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-1), now.AddDays(1));
    }
}
