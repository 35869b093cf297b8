using RollbackMesh.Agent.Sqlite;

namespace RollbackMesh.Agent.Journal;

/// <summary>Row reading for <see cref="StepJournal"/>.</summary>
internal sealed partial class StepJournal
{
    /// <summary>Reads the rows <paramref name="where"/> selects; <paramref name="bind"/> binds its parameters.</summary>
    private List<StepJournalEntry> Query(string where, Action<SqliteStatement> bind)
    {
        using var command = _database.Prepare("SELECT run_id, step_id, action_kind, status, started_at, finished_at, "
            + "summary, error, dry_run, already_done, verified FROM steps " + where);
        bind(command);
        var entries = new List<StepJournalEntry>();
        while (command.Step())
        {
            entries.Add(Read(command));
        }

        return entries;
    }

    private static StepJournalEntry Read(SqliteStatement row)
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
                Summary = row.IsNull(6) ? string.Empty : row.GetString(6),
                Error = row.IsNull(7) ? string.Empty : row.GetString(7),
                DryRun = row.IsNull(8) ? string.Empty : row.GetString(8),
                AlreadyDone = !row.IsNull(9) && row.GetInt32(9) != 0,
                Verified = !row.IsNull(10) && row.GetInt32(10) != 0,
            };
        }

        return new StepJournalEntry(row.GetString(0), row.GetString(1), row.GetString(2), status, startedAt, outcome);
    }
}
