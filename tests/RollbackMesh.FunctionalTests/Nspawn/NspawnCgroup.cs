namespace RollbackMesh.FunctionalTests.Nspawn;

/// <summary>
/// The cgroups a container's systemd-nspawn is started in. Without a host systemd, nspawn must be started from a
/// cgroup of its own (TESTBED.md), or it moves its payload and supervisor into the caller's cgroup. On a hybrid
/// hierarchy that means one directory in the named systemd hierarchy and one in the unified one; on a pure
/// cgroup2 machine, one directory.
/// </summary>
public static class NspawnCgroup
{
    private const string Root = "/sys/fs/cgroup";
    private const string Parent = "rollbackmesh-nspawn";

    /// <summary>A file that exists when some usable cgroup hierarchy is mounted.</summary>
    public static string ProbeFile =>
        Directory.Exists($"{Root}/unified") ? $"{Root}/systemd/cgroup.procs" : $"{Root}/cgroup.procs";

    /// <summary>The cgroup directories for one container (created by the start script, removed by <see cref="Remove"/>).</summary>
    public static IReadOnlyList<string> DirectoriesFor(string runId, string machine) =>
        Directory.Exists($"{Root}/unified")
            ? [$"{Root}/systemd/{Parent}/{runId}/{machine}", $"{Root}/unified/{Parent}/{runId}/{machine}"]
            : [$"{Root}/{Parent}/{runId}/{machine}"];

    /// <summary>Removes a stopped container's cgroups, deepest first (nspawn leaves payload/ and supervisor/ behind).</summary>
    public static void Remove(IEnumerable<string> directories)
    {
        foreach (var directory in directories.Where(Directory.Exists))
        {
            var all = Directory.EnumerateDirectories(directory, "*", SearchOption.AllDirectories)
                .OrderByDescending(path => path.Length)
                .Append(directory);
            foreach (var path in all)
            {
                TryRemove(path);
            }

            TryRemove(Path.GetDirectoryName(directory)!);
        }
    }

    // A cgroup directory can only be removed with rmdir once empty; a busy one (a process still inside) stays.
    private static void TryRemove(string path)
    {
        try
        {
            Directory.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
