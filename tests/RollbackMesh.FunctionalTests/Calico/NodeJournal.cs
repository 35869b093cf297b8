using Microsoft.Data.Sqlite;
using RollbackMesh.FunctionalTests.Infrastructure;

namespace RollbackMesh.FunctionalTests.Calico;

/// <summary>Reads one agent's step journal (SQLite) read-only: every row of a run, in journal order.</summary>
internal static class NodeJournal
{
    public static IReadOnlyList<JournalRow> Read(string node, string journalPath, string runId)
    {
        var rows = new List<JournalRow>();
        var builder = new SqliteConnectionStringBuilder { DataSource = journalPath, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        using var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT step_id, action_kind, status, started_at, finished_at FROM steps WHERE run_id = $run ORDER BY seq";
        command.Parameters.AddWithValue("$run", runId);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(new JournalRow(node, runId, reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt64(3),
                reader.IsDBNull(4) ? null : reader.GetInt64(4)));
        }

        return rows;
    }
}
