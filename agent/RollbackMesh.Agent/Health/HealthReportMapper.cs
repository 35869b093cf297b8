using Google.Protobuf.WellKnownTypes;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Health;

/// <summary>Maps a <see cref="HealthSnapshot"/> to the wire's HealthReport.</summary>
internal static class HealthReportMapper
{
    /// <summary>The wire form of <paramref name="snapshot"/>.</summary>
    public static HealthReport ToProto(HealthSnapshot snapshot)
    {
        var report = new HealthReport
        {
            At = Timestamp.FromDateTimeOffset(snapshot.At),
            Datastore = snapshot.Datastore,
            Healthy = snapshot.Healthy,
            LastStepId = snapshot.LastStep?.StepId ?? string.Empty,
            LastStepState = snapshot.LastStep?.State ?? StepState.Unspecified,
        };
        report.Units.AddRange(snapshot.Units.Select(u => new V1.UnitState
        {
            Unit = u.Unit,
            ActiveState = u.ActiveState,
            SubState = u.SubState,
            Error = u.Error ?? string.Empty,
            Restarts = u.Restarts,
        }));
        foreach (var (name, version) in snapshot.Versions)
        {
            report.Versions[name] = version;
        }

        report.Disks.AddRange(snapshot.Disks.Select(d => new DiskUsage { Path = d.Path, FreeBytes = d.FreeBytes, TotalBytes = d.TotalBytes }));
        report.Problems.AddRange(snapshot.Problems);
        return report;
    }
}
