using Microsoft.Data.Sqlite;

namespace RollbackMesh.Agent.Journal;

/// <summary>Row reading for <see cref="StepJournal"/>.</summary>
internal sealed partial class StepJournal
{
    private List<StepJournalEntry> Query(string where, params (string Name, object Value)[] parameters)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT run_id, step_id, action_kind, status, started_at, finished_at, summary, error, "
            + "dry_run, already_done, verified FROM steps " + where;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var entries = new List<StepJournalEntry>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            entries.Add(Read(reader));
        }

        return entries;
    }

    private static StepJournalEntry Read(SqliteDataReader reader)
    {
        var status = (StepStatus)reader.GetInt32(3);
        var startedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4));
        StepOutcome? outcome = null;
        if (status != StepStatus.Started)
        {
            outcome = new StepOutcome
            {
                Status = status,
                StartedAt = startedAt,
                FinishedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                Summary = reader.IsDBNull(6) ? string.Empty : reader.GetString(6),
                Error = reader.IsDBNull(7) ? string.Empty : reader.GetString(7),
                DryRun = reader.IsDBNull(8) ? string.Empty : reader.GetString(8),
                AlreadyDone = !reader.IsDBNull(9) && reader.GetInt32(9) != 0,
                Verified = !reader.IsDBNull(10) && reader.GetInt32(10) != 0,
            };
        }

        return new StepJournalEntry(reader.GetString(0), reader.GetString(1), reader.GetString(2), status, startedAt, outcome);
    }
}
