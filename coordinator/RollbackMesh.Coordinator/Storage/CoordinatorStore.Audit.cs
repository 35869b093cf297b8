using Microsoft.Data.Sqlite;
using RollbackMesh.Coordinator.Audit;

namespace RollbackMesh.Coordinator.Storage;

internal sealed partial class CoordinatorStore
{
    /// <summary>Appends one audit entry.</summary>
    public Task AppendAuditAsync(AuditEntry entry) => WriteAsync(c => InsertAudit(c, entry));

    /// <summary>
    /// The newest <paramref name="limit"/> audit entries (of one run when <paramref name="runId"/> is not empty)
    /// older than the entry <paramref name="beforeId"/>, returned oldest first.
    /// </summary>
    public IReadOnlyList<AuditEntry> QueryAudit(string runId, int limit, long beforeId = long.MaxValue) => Read(c =>
    {
        using var command = c.CreateCommand();
        command.CommandText = runId.Length == 0
            ? "SELECT at, who, what, run_id, detail, id FROM audit WHERE id < $before ORDER BY id DESC LIMIT $limit"
            : "SELECT at, who, what, run_id, detail, id FROM audit WHERE run_id = $run AND id < $before ORDER BY id DESC LIMIT $limit";
        command.Parameters.AddWithValue("$run", runId);
        command.Parameters.AddWithValue("$limit", limit);
        command.Parameters.AddWithValue("$before", beforeId);
        using var reader = command.ExecuteReader();
        var entries = new List<AuditEntry>();
        while (reader.Read())
        {
            entries.Add(new AuditEntry(
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), reader.GetString(1), reader.GetString(2),
                reader.GetString(3), reader.GetString(4)) { Id = reader.GetInt64(5) });
        }

        entries.Reverse();
        return entries;
    });

    private static void InsertAudit(SqliteConnection c, AuditEntry entry)
    {
        using var command = c.CreateCommand();
        command.CommandText = "INSERT INTO audit (at, who, what, run_id, detail) VALUES ($at, $who, $what, $run, $detail)";
        command.Parameters.AddWithValue("$at", entry.At.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$who", entry.Who);
        command.Parameters.AddWithValue("$what", entry.What);
        command.Parameters.AddWithValue("$run", entry.RunId);
        command.Parameters.AddWithValue("$detail", entry.Detail);
        command.ExecuteNonQuery();
    }
}
