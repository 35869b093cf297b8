using Microsoft.Data.Sqlite;
using RollbackMesh.Demo.Sandbox;
using RollbackMesh.Demo;

namespace RollbackMesh.FunctionalTests.Infrastructure;

/// <summary>Reads the sandbox nodes' step journals (var/lib/rollbackmesh/journal.db in each sandbox), read-only.</summary>
internal static class SandboxJournals
{
    /// <summary>The agent's journal status for a succeeded step (RollbackMesh.Agent.Journal.StepStatus.Succeeded).</summary>
    public const int Succeeded = (int)RollbackMesh.Agent.Journal.StepStatus.Succeeded;

    /// <summary>Every journal row of <paramref name="runId"/> on every node.</summary>
    public static IReadOnlyList<JournalRow> Read(SandboxFleet fleet, string runId)
    {
        var rows = new List<JournalRow>();
        foreach (var node in fleet.Nodes)
        {
            var path = node.HostPath(StandInContract.JournalPath);
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT step_id, action_kind, status, started_at, finished_at FROM steps WHERE run_id = $run ORDER BY seq";
            command.Parameters.AddWithValue("$run", runId);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows.Add(new JournalRow(node.Name, runId, reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt64(3),
                    reader.IsDBNull(4) ? null : reader.GetInt64(4)));
            }
        }

        return rows;
    }

    /// <summary>How many times the node's agent log says it started executing <paramref name="stepId"/> (resends are logged differently).</summary>
    public static int ExecutionsInLog(string logFile, string runId, string stepId) =>
        File.ReadLines(logFile).Count(l => l.Contains($"Step run {runId} step {stepId} (", StringComparison.Ordinal) && l.EndsWith(") started", StringComparison.Ordinal));
}
