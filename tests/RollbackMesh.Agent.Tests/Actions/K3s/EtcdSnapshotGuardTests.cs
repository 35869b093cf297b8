using RollbackMesh.Agent.Tests.Testbeds;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Actions.K3s;

public sealed class EtcdSnapshotGuardTests : IClassFixture<EtcdSnapshotFixture>, IDisposable
{
    private readonly EtcdSnapshotFixture _etcd;
    private readonly AgentHarness _h;
    private readonly string _k3sLog;
    private readonly string _killLog;

    public EtcdSnapshotGuardTests(EtcdSnapshotFixture etcd)
    {
        _etcd = etcd;
        _k3sLog = Path.GetTempFileName();
        _killLog = Path.GetTempFileName();
        string? k3s = null;
        _h = new AgentHarness(o => o with { Tools = o.Tools with { K3s = k3s = Path.Combine(o.AllowedRoots[0], "bin/k3s") } });
        StandIns.K3s(k3s!, _k3sLog);
        Sh.WriteScript(Path.Combine(_h.Allowed, "bin/k3s-killall.sh"), $"echo killall >> '{_killLog}'\n");
    }

    private StepCommand Step(string id, RollbackMesh.V1.Action action) => new() { RunId = "rollback", StepId = id, Action = action };

    [Fact]
    public async Task EtcdSnapshotVerify_RealSnapshot_PassesTrialRestoreAndLeavesNoScratch()
    {
        var snapshot = _etcd.CopyTo(Path.Combine(_h.Allowed, "snapshots/on-demand.db"));
        var (runner, journal) = _h.Runner();
        using var _ = journal;
        var result = await runner.RunAsync(Step("verify", new() { EtcdSnapshotVerify = new EtcdSnapshotVerify { SnapshotPath = snapshot } }), _ => { }, default);
        Assert.Equal(StepState.Succeeded, result.State);
        Assert.Empty(Directory.GetFileSystemEntries(_h.Options.ScratchDirectory));
    }

    [Fact]
    public async Task Preflight_CorruptSnapshot_FailsBeforeKillAllRuns()
    {
        // The runbook's order: preflight verify, then killall. The verify fails, so the journal holds no killall.
        var snapshot = _etcd.CopyTo(Path.Combine(_h.Allowed, "snapshots/corrupt.db"), corrupt: true);
        var (runner, journal) = _h.Runner();
        using var _ = journal;
        var verify = await runner.RunAsync(Step("preflight-verify", new() { EtcdSnapshotVerify = new EtcdSnapshotVerify { SnapshotPath = snapshot } }), _ => { }, default);
        Assert.Equal(StepState.Failed, verify.State);
        Assert.Contains("trial restore", verify.Error, StringComparison.Ordinal);
        Assert.Empty(StandIns.Calls(_killLog));
        Assert.Equal(["preflight-verify"], runner.QueryJournal(new JournalQuery { RunId = "rollback" }).Entries.Select(e => e.StepId));
    }

    [Fact]
    public async Task K3sClusterReset_StandInK3sCorruptSnapshot_K3sNeverInvoked()
    {
        var snapshot = _etcd.CopyTo(Path.Combine(_h.Allowed, "snapshots/corrupt.db"), corrupt: true);
        var (runner, journal) = _h.Runner();
        using var _ = journal;
        var result = await runner.RunAsync(Step("reset", new() { K3SClusterReset = new K3sClusterReset { SnapshotPath = snapshot } }), _ => { }, default);
        Assert.Equal(StepState.Failed, result.State);
        Assert.Empty(StandIns.Calls(_k3sLog));
    }

    [Fact]
    public async Task K3sClusterReset_StandInK3sGoodSnapshot_ResetRunWithRestorePath()
    {
        var snapshot = _etcd.CopyTo(Path.Combine(_h.Allowed, "snapshots/good.db"));
        var (runner, journal) = _h.Runner();
        using var _ = journal;
        var output = new List<string>();
        var result = await runner.RunAsync(
            Step("reset", new() { K3SClusterReset = new K3sClusterReset { SnapshotPath = snapshot, Token = "K10abc::server:secret" } }),
            u => output.Add(u.OutputChunk), default);
        Assert.Equal(StepState.Succeeded, result.State);
        Assert.Equal([$"server --cluster-reset --cluster-reset-restore-path={snapshot}", "K3S_TOKEN=K10abc::server:secret"], StandIns.Calls(_k3sLog));
        Assert.Contains(output, l => l.StartsWith("Managed etcd cluster membership has been reset", StringComparison.Ordinal));
    }

    [Fact]
    public async Task K3sClusterReset_StandInK3sRejectsToken_FailureAndJournalNeverQuoteTheToken()
    {
        const string Token = "K10abc::server:s3cret-value";
        StandIns.K3s(Path.Combine(_h.Allowed, "bin/k3s"), _k3sLog, resetExit: 1);
        var snapshot = _etcd.CopyTo(Path.Combine(_h.Allowed, "snapshots/good.db"));
        var (runner, journal) = _h.Runner();
        using var _ = journal;
        var output = new List<string>();
        var result = await runner.RunAsync(
            Step("reset", new() { K3SClusterReset = new K3sClusterReset { SnapshotPath = snapshot, Token = Token } }),
            u => output.Add(u.OutputChunk), default);
        Assert.Equal(StepState.Failed, result.State);
        Assert.Contains("encrypted with different token", result.Error, StringComparison.Ordinal);
        Assert.Contains("K3S_TOKEN=********", result.Error, StringComparison.Ordinal);
        var journalled = runner.QueryJournal(new JournalQuery { RunId = "rollback" }).ToString();
        Assert.All(new[] { result.Error, journalled, string.Join('\n', output) }, text => Assert.DoesNotContain("s3cret", text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task K3sClusterReset_DryRun_TokenMasked()
    {
        var snapshot = _etcd.CopyTo(Path.Combine(_h.Allowed, "snapshots/good.db"));
        var description = await _h.Build(new() { K3SClusterReset = new K3sClusterReset { SnapshotPath = snapshot, Token = "secret-token" } })
            .DescribeAsync(_h.Context(), default);
        Assert.DoesNotContain("secret-token", description, StringComparison.Ordinal);
        Assert.Contains("snapshot restore", description, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _h.Dispose();
        File.Delete(_k3sLog);
        File.Delete(_killLog);
    }
}
