using RollbackMesh.V1;

namespace RollbackMesh.Agent.Health;

/// <summary>
/// Which datastore K3s uses on this node, from what is on disk: an external one when the K3s config or unit names a
/// datastore endpoint; embedded etcd when server/db/etcd exists; SQLite when server/db/state.db exists; none
/// otherwise (an agent node, or K3s not installed). etcd wins over SQLite because a cluster converted to etcd keeps
/// the old state.db.
/// </summary>
internal sealed class DatastoreProbe
{
    private readonly string _dataDir;
    private readonly IReadOnlyList<string> _configFiles;

    /// <summary>Creates the probe for a K3s data directory and the files that may name a datastore endpoint.</summary>
    public DatastoreProbe(string dataDir, IReadOnlyList<string> configFiles)
    {
        _dataDir = dataDir;
        _configFiles = configFiles;
    }

    /// <summary>Determines the datastore kind; unreadable config files are problems.</summary>
    public DatastoreKind Probe(ICollection<string> problems)
    {
        foreach (var file in _configFiles.Where(File.Exists))
        {
            try
            {
                if (NamesExternalEndpoint(File.ReadAllText(file)))
                {
                    return DatastoreKind.External;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                problems.Add($"datastore: cannot read {file} ({ex.Message})");
            }
        }

        var db = Path.Combine(_dataDir, "server", "db");
        if (Directory.Exists(Path.Combine(db, "etcd")))
        {
            return DatastoreKind.EmbeddedEtcd;
        }

        return File.Exists(Path.Combine(db, "state.db")) ? DatastoreKind.Sqlite : DatastoreKind.None;
    }

    /// <summary>
    /// True for "datastore-endpoint: ..." (config.yaml), "--datastore-endpoint" (unit ExecStart) or
    /// K3S_DATASTORE_ENDPOINT=... (the unit's env file), ignoring commented-out lines.
    /// </summary>
    internal static bool NamesExternalEndpoint(string text) =>
        text.Split('\n')
            .Select(line => line.Trim())
            .Where(line => !line.StartsWith('#'))
            .Any(line => HasValue(line, "datastore-endpoint:")
                || line.Contains("--datastore-endpoint", StringComparison.Ordinal)
                || HasValue(line, "K3S_DATASTORE_ENDPOINT="));

    private static bool HasValue(string line, string key) =>
        line.StartsWith(key, StringComparison.Ordinal) && line[key.Length..].Trim().Trim('"', '\'').Length > 0;
}
