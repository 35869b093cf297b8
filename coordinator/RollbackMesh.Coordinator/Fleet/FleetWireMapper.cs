using System.Collections.Immutable;
using Google.Protobuf.WellKnownTypes;

namespace RollbackMesh.Coordinator.Fleet;

/// <summary>Maps the agent hub's wire messages to the registry's records and back (for the operator API).</summary>
internal static class FleetWireMapper
{
    public static NodeIdentity ToIdentity(V1.Hello hello) => new(
        hello.NodeName,
        [.. hello.Roles],
        hello.Labels.ToImmutableSortedDictionary(StringComparer.Ordinal),
        hello.AgentVersion,
        [.. hello.Capabilities],
        hello.Facts.ToImmutableSortedDictionary(StringComparer.Ordinal))
    {
        Cluster = hello.Cluster,
    };

    public static NodeHealth ToHealth(V1.HealthReport report, DateTimeOffset receivedAt) => new(
        receivedAt,
        report.At?.ToDateTimeOffset() ?? receivedAt,
        report.Healthy,
        [.. report.Problems],
        [.. report.Units.Select(u => new UnitStatus(u.Unit, u.ActiveState, u.SubState, u.Error) { Restarts = u.Restarts })],
        report.Versions.ToImmutableSortedDictionary(StringComparer.Ordinal),
        [.. report.Disks.Select(d => new DiskSpace(d.Path, d.FreeBytes, d.TotalBytes))],
        report.Datastore.ToString());

    public static V1.HealthReport ToWire(NodeHealth health)
    {
        var report = new V1.HealthReport
        {
            At = Timestamp.FromDateTimeOffset(health.ReportedAt),
            Healthy = health.Healthy,
            Datastore = System.Enum.TryParse<V1.DatastoreKind>(health.Datastore, out var kind) ? kind : V1.DatastoreKind.Unspecified,
        };
        report.Problems.Add(health.Problems);
        report.Units.Add(health.Units.Select(u => new V1.UnitState
        {
            Unit = u.Unit, ActiveState = u.ActiveState, SubState = u.SubState, Error = u.Error, Restarts = u.Restarts,
        }));
        report.Versions.Add(health.Versions);
        report.Disks.Add(health.Disks.Select(d => new V1.DiskUsage { Path = d.Path, FreeBytes = d.FreeBytes, TotalBytes = d.TotalBytes }));
        return report;
    }

    public static V1.NodeInfo ToWire(NodeView node)
    {
        var info = new V1.NodeInfo
        {
            Name = node.Name,
            Cluster = node.Identity.Cluster,
            AgentVersion = node.Identity.AgentVersion,
            Connected = node.Connected,
            Stale = node.Stale,
            Removed = node.Removed,
            LastSeen = node.LastSeen is { } seen ? Timestamp.FromDateTimeOffset(seen) : null,
            Health = node.Health is { } health ? ToWire(health) : null,
        };
        info.Roles.Add(node.Identity.Roles);
        info.Labels.Add(node.Identity.Labels);
        info.Facts.Add(node.Identity.Facts);
        return info;
    }
}
