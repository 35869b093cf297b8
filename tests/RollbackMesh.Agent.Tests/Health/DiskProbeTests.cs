using RollbackMesh.Agent.Health;

namespace RollbackMesh.Agent.Tests.Health;

public sealed class DiskProbeTests
{
    [Fact]
    public void Probe_ExistingDirectory_ReportsItsFilesystem()
    {
        using var sandbox = new TempRoot();
        var data = sandbox.Dir("data");
        var problems = new List<string>();

        var disk = Assert.Single(new DiskProbe([data]).Probe(problems));

        Assert.Empty(problems);
        Assert.Equal(data, disk.Path);
        Assert.True(disk.TotalBytes > 0);
        Assert.InRange(disk.FreeBytes, 1UL, disk.TotalBytes);
    }

    [Fact]
    public void Probe_QuarantineNotCreatedYet_MeasuredOnItsNearestParentWithoutProblem()
    {
        using var sandbox = new TempRoot();
        var quarantine = sandbox["state/quarantine"];
        var problems = new List<string>();

        var disk = Assert.Single(new DiskProbe([quarantine]).Probe(problems));

        Assert.Empty(problems);
        Assert.Equal(quarantine, disk.Path);
        Assert.False(Directory.Exists(quarantine), "probing must not create the directory");
        Assert.True(disk.TotalBytes > 0);
    }
}
