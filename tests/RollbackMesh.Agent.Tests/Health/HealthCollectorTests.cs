using RollbackMesh.Agent.Configuration;
using RollbackMesh.Agent.Health;
using RollbackMesh.Agent.Processes;
using RollbackMesh.Agent.Systemd;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Health;

public sealed class HealthCollectorTests
{
    [Fact]
    public async Task CollectAsync_StandInK3sAndUnitsWithRealDpkg_ReportsVersionsDisksAndDatastore()
    {
        using var sandbox = new TempRoot();
        var options = Options(sandbox);
        options.ToolPaths["k3s"] = sandbox.Script("bin/k3s", "echo 'k3s version v1.28.5+k3s1 (5b2d1271)'; echo 'go version go1.20.12'");
        options.ToolPaths["calico-felix"] = sandbox["bin/absent-felix"];
        options.ToolPaths["dpkg-query"] = RequireTool("/usr/bin/dpkg-query");
        options.Packages.AddRange(["bash", "rollbackmesh-no-such-package"]);
        sandbox.Write("k3s/server/db/state.db", "x");

        var snapshot = await Collect(options, new HealthyUnits());

        Assert.Empty(snapshot.Problems);
        Assert.True(snapshot.Healthy);
        Assert.Equal("v1.28.5+k3s1", snapshot.Versions["k3s"]);
        Assert.Equal(VersionProbe.NotInstalled, snapshot.Versions["calico-felix"]);
        Assert.Matches(@"^\d", snapshot.Versions["bash"]);
        Assert.Equal(VersionProbe.NotInstalled, snapshot.Versions["rollbackmesh-no-such-package"]);
        Assert.Equal(DatastoreKind.Sqlite, snapshot.Datastore);
        // The data directory and the quarantine (not created yet: measured on its parent), whose space preflight checks.
        Assert.Equal([sandbox.Path, options.QuarantinePath], snapshot.Disks.Select(d => d.Path));
        Assert.All(snapshot.Disks, disk => Assert.True(disk.TotalBytes > 0 && disk.FreeBytes > 0 && disk.FreeBytes <= disk.TotalBytes));
        Assert.Equal([new UnitStatus("k3s.service", "active", "running")], snapshot.Units);
    }

    [Fact]
    public async Task CollectAsync_RpmFamilyWithStandInUnits_UsesRpmQuery()
    {
        using var sandbox = new TempRoot();
        var options = Options(sandbox);
        options.ToolPaths["dpkg-query"] = sandbox["bin/no-dpkg"];
        options.ToolPaths["rpm"] = RequireTool("/usr/bin/rpm");
        options.Packages.Add("calico-felix");

        var snapshot = await Collect(options, new HealthyUnits());

        Assert.Equal(VersionProbe.NotInstalled, snapshot.Versions["calico-felix"]);
    }

    [Theory]
    [InlineData("k3s version v1.29.4+k3s10 (5b2d1271)", "v1.29.4+k3s10")]
    [InlineData("k3s version v1.29.4+k3s1-rc1 (5b2d1271)", "v1.29.4+k3s1-rc1")]
    [InlineData("k3s version v1.29.4+k3s1.", "v1.29.4+k3s1")]
    public async Task CollectAsync_StandInK3sVersion_ReportsTheWholeVersionForAnchoredGates(string printed, string reported)
    {
        // version_matches gates match the reported version in full, so the probe must never cut a release short.
        using var sandbox = new TempRoot();
        var options = Options(sandbox);
        options.ToolPaths["k3s"] = sandbox.Script("bin/k3s", $"echo '{printed}'; echo 'go version go1.21.9'");
        options.ToolPaths["calico-felix"] = sandbox["bin/absent-felix"];

        var snapshot = await Collect(options, new HealthyUnits());

        Assert.Equal(reported, snapshot.Versions["k3s"]);
    }

    [Fact]
    public async Task CollectAsync_EveryProbeFailingWithStandInTools_ReportsProblemsInsteadOfThrowing()
    {
        using var sandbox = new TempRoot();
        var options = Options(sandbox);
        options.ToolPaths["k3s"] = sandbox.Script("bin/k3s", "echo 'fatal: cannot read config' >&2; exit 2");
        options.ToolPaths["calico-felix"] = sandbox.Script("bin/calico-felix", "echo 'no version here'");
        options.ToolPaths["dpkg-query"] = sandbox["bin/none"];
        options.ToolPaths["rpm"] = sandbox["bin/none"];
        options.Packages.Add("calico-felix");

        using var systemd = new SystemdConnection("unix:path=" + sandbox["no-bus"], TimeProvider.System);
        var snapshot = await Collect(options, new DBusUnitStateReader(systemd));

        Assert.False(snapshot.Healthy);
        Assert.Contains(snapshot.Problems, p => p.StartsWith("unit k3s.service: cannot read its state (", StringComparison.Ordinal));
        Assert.Contains(snapshot.Problems, p => p.StartsWith("version k3s: ", StringComparison.Ordinal) && p.Contains("exited 2", StringComparison.Ordinal));
        Assert.Contains(snapshot.Problems, p => p.StartsWith("version calico-felix: ", StringComparison.Ordinal));
        Assert.Contains(snapshot.Problems, p => p.StartsWith("version packages: neither dpkg-query nor rpm", StringComparison.Ordinal));
        Assert.False(string.IsNullOrEmpty(Assert.Single(snapshot.Units).Error));
    }

    [Fact]
    public async Task CollectAsync_StandInFailedUnit_IsHealthyAndReportsTheUnitState()
    {
        using var sandbox = new TempRoot();
        var snapshot = await Collect(Options(sandbox), new InactiveUnits());

        Assert.Empty(snapshot.Problems);
        Assert.True(snapshot.Healthy);
        Assert.True(HealthReportMapper.ToProto(snapshot).Healthy);
        Assert.Equal([new UnitStatus("k3s.service", "failed", "failed")], snapshot.Units);
    }

    [Fact]
    public async Task CollectAsync_StandInUnitsWithBareWatchedName_ReadsTheServiceUnit()
    {
        using var sandbox = new TempRoot();
        var options = Options(sandbox);
        options.WatchedUnits = ["k3s-agent", "containerd.socket"];

        var snapshot = await Collect(options, new HealthyUnits());

        Assert.Equal(["k3s-agent.service", "containerd.socket"], snapshot.Units.Select(u => u.Unit));
    }

    [Fact]
    public async Task CollectAsync_AfterAStepUpdateWithStandInUnits_CarriesTheLastStep()
    {
        using var sandbox = new TempRoot();
        var tracker = new LastStepTracker();
        tracker.Record(new StepUpdate { RunId = "r1", StepId = "s3", State = StepState.Succeeded });

        var snapshot = await Collect(Options(sandbox), new HealthyUnits(), tracker);

        Assert.Equal(new StepSummary("r1", "s3", StepState.Succeeded), snapshot.LastStep);
        var report = HealthReportMapper.ToProto(snapshot);
        Assert.Equal(StepState.Succeeded, report.LastStepState);
        Assert.Equal("s3", report.LastStepId);
    }

    private static AgentOptions Options(TempRoot sandbox)
    {
        var options = new AgentOptions
        {
            Roles = ["server"],
            WatchedUnits = ["k3s.service"],
            K3sDataDir = sandbox["k3s"],
            K3sConfigFile = sandbox["etc/config.yaml"],
            K3sUnitFiles = [sandbox["etc/k3s.service"]],
            DataDirectories = [sandbox.Path],
            QuarantinePath = sandbox["state/quarantine"],
        };
        options.ToolPaths["k3s"] = sandbox["bin/no-k3s"];
        options.ToolPaths["calico-felix"] = sandbox["bin/no-felix"];
        return options;
    }

    private static Task<HealthSnapshot> Collect(AgentOptions options, IUnitStateReader units, LastStepTracker? tracker = null) =>
        HealthCollector.Create(options, units, new ToolRunner(), tracker ?? new LastStepTracker(), TimeProvider.System)
            .CollectAsync(CancellationToken.None);

    // The test needs the real tool: fail loudly if it is absent rather than pass without checking anything.
    private static string RequireTool(string path)
    {
        Assert.True(File.Exists(path), $"{path} is required by this test (tests/install-test-deps.sh installs it)");
        return path;
    }

    private sealed class HealthyUnits : IUnitStateReader
    {
        public Task<UnitStatus> ReadAsync(string unit, CancellationToken cancellationToken) => Task.FromResult(new UnitStatus(unit, "active", "running"));
    }

    private sealed class InactiveUnits : IUnitStateReader
    {
        public Task<UnitStatus> ReadAsync(string unit, CancellationToken cancellationToken) => Task.FromResult(new UnitStatus(unit, "failed", "failed"));
    }
}
