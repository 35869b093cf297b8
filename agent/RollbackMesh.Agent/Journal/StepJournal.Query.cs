using Microsoft.Data.Sqlite;

namespace RollbackMesh.Agent.Journal;

/// <summary>Row reading for <see cref="StepJournal"/>.</summary>
internal sealed partial class StepJournal
{
    /// <summary>Reads the rows <paramref name="where"/> selects, with its named <paramref name="parameters"/>.</summary>
    private List<StepJournalEntry> Query(string where, params ReadOnlySpan<(string Name, object Value)> parameters)
    {
        using var command = Command("SELECT run_id, step_id, action_kind, status, started_at, finished_at, "
            + "summary, error, dry_run, already_done, verified FROM steps " + where);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        using var reader = command.ExecuteReader();
        var entries = new List<StepJournalEntry>();
        while (reader.Read())
        {
            entries.Add(Read(reader));
        }

        return entries;
    }

    private static StepJournalEntry Read(SqliteDataReader row)
    {
        var status = (StepStatus)row.GetInt32(3);
        var startedAt = DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(4));
        StepOutcome? outcome = null;
        if (status != StepStatus.Started)
        {
            outcome = new StepOutcome
            {
                Status = status,
                StartedAt = startedAt,
                FinishedAt = DateTimeOffset.FromUnixTimeMilliseconds(row.GetInt64(5)),
                Summary = row.IsDBNull(6) ? string.Empty : row.GetString(6),
                Error = row.IsDBNull(7) ? string.Empty : row.GetString(7),
                DryRun = row.IsDBNull(8) ? string.Empty : row.GetString(8),
                AlreadyDone = !row.IsDBNull(9) && row.GetInt32(9) != 0,
                Verified = !row.IsDBNull(10) && row.GetInt32(10) != 0,
            };
        }

        return new StepJournalEntry(row.GetString(0), row.GetString(1), row.GetString(2), status, startedAt, outcome);
    }
}
