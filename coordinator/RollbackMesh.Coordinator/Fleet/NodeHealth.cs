using System.Collections.Immutable;

namespace RollbackMesh.Coordinator.Fleet;

/// <summary>
/// One health report from a node. <see cref="ReceivedAt"/> is the coordinator's clock when it arrived (used for
/// staleness and gate freshness); <see cref="ReportedAt"/> is the agent's own timestamp.
/// </summary>
internal sealed record NodeHealth(
    DateTimeOffset ReceivedAt,
    DateTimeOffset ReportedAt,
    bool Healthy,
    ImmutableArray<string> Problems,
    ImmutableArray<UnitStatus> Units,
    ImmutableSortedDictionary<string, string> Versions,
    ImmutableArray<DiskSpace> Disks,
    string Datastore)
{
    /// <summary>
    /// Whether <paramref name="other"/> reports the same state: health, problems, units, versions and datastore. Times
    /// and free disk space (which moves with every report) are not compared.
    /// </summary>
    public bool SameStateAs(NodeHealth other) =>
        Healthy == other.Healthy
        && Datastore == other.Datastore
        && Problems.SequenceEqual(other.Problems)
        && Units.SequenceEqual(other.Units)
        && Versions.Count == other.Versions.Count && Versions.SequenceEqual(other.Versions);

    /// <summary>The disk holding <paramref name="path"/>: the reported disk whose path is its longest prefix.</summary>
    public DiskSpace? DiskFor(string path) => Disks
        .Where(d => IsUnder(path, d.Path))
        .OrderByDescending(d => d.Path.Length)
        .FirstOrDefault();

    private static bool IsUnder(string path, string mount)
    {
        var root = mount.TrimEnd('/');
        return root.Length == 0 || path == root || path.StartsWith(root + "/", StringComparison.Ordinal);
    }
}
