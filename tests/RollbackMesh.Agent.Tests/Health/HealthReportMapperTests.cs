using RollbackMesh.Agent.Health;

namespace RollbackMesh.Agent.Tests.Health;

public sealed class HealthReportMapperTests
{
    [Fact]
    public void ToProto_UnitRestartedBySystemd_ReportsTheRestartCount()
    {
        var snapshot = new HealthSnapshot
        {
            At = DateTimeOffset.UtcNow,
            Units = [new UnitStatus("k3s-agent.service", "active", "running") { Restarts = 7 }, new UnitStatus("k3s.service", "inactive", "dead")],
        };

        var report = HealthReportMapper.ToProto(snapshot);

        Assert.Equal([7u, 0u], report.Units.Select(u => u.Restarts));
        Assert.Equal("active", report.Units[0].ActiveState);
    }
}
