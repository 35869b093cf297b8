using System.Security.Cryptography.X509Certificates;
using RollbackMesh.Coordinator.Security;
using RollbackMesh.FunctionalTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.Security;

/// <summary>
/// The real CLI against the real coordinator over real TLS: every way a certificate is refused gets its own message and
/// exit code 4 (not allowed), never "coordinator unreachable" (3). (Issue 17 item 4.)
/// </summary>
public sealed class CliTlsRefusalTests(ITestOutputHelper log)
{
    private const int NotAllowed = 4;

    [Fact]
    public async Task Cli_EachCertificateRefusal_SaysWhichAndExitsNotAllowed()
    {
        await using var coordinator = await SecureCoordinator.StartAsync();
        var ops = Path.Combine(coordinator.Directory, "ops");
        var ca = Path.Combine(ops, "ca.crt");
        Assert.Equal(0, await SecurityCalls.RunCommandAsync("operator", "add", "alice", "--data", coordinator.Paths.DataDirectory, "--out", ops));

        // Another coordinator's CA: its operator certificate, and its ca.crt as a wrong --ca.
        var foreign = Path.Combine(coordinator.Directory, "foreign");
        new CoordinatorInitializer(TimeProvider.System).Initialize(new SecurityPaths(Path.Combine(foreign, "data")), [], TextWriter.Null);
        Assert.Equal(0, await SecurityCalls.RunCommandAsync("operator", "add", "mallory", "--data", Path.Combine(foreign, "data"), "--out", foreign));

        // Issued by this CA 400 days ago with the 365-day lifetime: expired 35 days ago.
        await using (var past = SecurityCommandContext.Open(coordinator.Paths.DataDirectory, VirtualClock.Now(-TimeSpan.FromDays(400))))
        {
            new OperatorCredentialWriter(past.Authority, past.Ledger, new SecurityOptions(), past.Time).Write("olivia", ops);
        }

        Assert.Equal(0, await SecurityCalls.RunCommandAsync("operator", "add", "rita", "--data", coordinator.Paths.DataDirectory, "--out", ops));
        using (var rita = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(ops, "rita.crt")))
        {
            coordinator.Ledger.Revoke(rita.SerialNumber, "rita", "test: revoked operator");
        }

        var node = await coordinator.EnrollAsync("node-1");

        var ok = await NodesAsync(coordinator, ca, Path.Combine(ops, "alice.crt"), Path.Combine(ops, "alice.key"));
        var wrongCa = await NodesAsync(coordinator, Path.Combine(foreign, "ca.crt"), Path.Combine(ops, "alice.crt"), Path.Combine(ops, "alice.key"));
        var foreignOperator = await NodesAsync(coordinator, ca, Path.Combine(foreign, "mallory.crt"), Path.Combine(foreign, "mallory.key"));
        var expired = await NodesAsync(coordinator, ca, Path.Combine(ops, "olivia.crt"), Path.Combine(ops, "olivia.key"));
        var revoked = await NodesAsync(coordinator, ca, Path.Combine(ops, "rita.crt"), Path.Combine(ops, "rita.key"));
        var nodeAsOperator = await NodesAsync(coordinator, ca, node.Certificate, node.Key);

        Assert.Equal(0, ok.ExitCode);
        var refusals = new (CliRun Run, string Says)[]
        {
            (wrongCa, "the coordinator's certificate"),
            (foreignOperator, "is not issued by the coordinator's CA"),
            (expired, "expired on"),
            (revoked, "is revoked"),
            (nodeAsOperator, "may not act as"),
        };
        foreach (var (run, says) in refusals)
        {
            Assert.Equal(NotAllowed, run.ExitCode);
            Assert.Contains("not allowed: ", run.Stderr, StringComparison.Ordinal);
            Assert.Contains(says, run.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("unreachable", run.Stderr, StringComparison.Ordinal);
            // Each message is its own: no other case's phrase appears in it.
            Assert.All(refusals.Where(r => r.Says != says), other => Assert.DoesNotContain(other.Says, run.Stderr, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Cli_NothingListening_StillUnreachable()
    {
        string address, ops;
        await using (var coordinator = await SecureCoordinator.StartAsync())
        {
            address = coordinator.Address.ToString();
            ops = Path.Combine(Path.GetTempPath(), "rbm-ops-" + Guid.NewGuid().ToString("N"));
            Assert.Equal(0, await SecurityCalls.RunCommandAsync("operator", "add", "alice", "--data", coordinator.Paths.DataDirectory, "--out", ops));
        }

        try
        {
            var run = await CliRun.RunAsync(log, "--coordinator", address, "--ca", Path.Combine(ops, "ca.crt"),
                "--cert", Path.Combine(ops, "alice.crt"), "--key", Path.Combine(ops, "alice.key"), "nodes");

            Assert.Equal(3, run.ExitCode);
            Assert.Contains("coordinator unreachable", run.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(ops, recursive: true);
        }
    }

    private Task<CliRun> NodesAsync(SecureCoordinator coordinator, string ca, string cert, string key) =>
        CliRun.RunAsync(log, "--coordinator", coordinator.Address.ToString(), "--ca", ca, "--cert", cert, "--key", key, "nodes");
}
