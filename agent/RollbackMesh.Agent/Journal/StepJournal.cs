using Microsoft.Data.Sqlite;

namespace RollbackMesh.Agent.Journal;

/// <summary>
/// The agent's durable step journal: SQLite in WAL mode with synchronous=FULL, so a row is on disk when a
/// call returns. A step is written as "started" before it runs and updated with its outcome after, which is
/// what lets a resent step return its recorded outcome instead of running twice.
/// </summary>
internal sealed partial class StepJournal : IDisposable
{
    /// <summary>
    /// Seconds a statement retries while another connection (an operator's sqlite3 session on the journal) holds
    /// the lock, before failing with SQLITE_BUSY.
    /// </summary>
    internal const int BusyTimeoutSeconds = 30;

    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    /// <summary>Opens (creating if needed) the journal database at <paramref name="path"/>.</summary>
    public StepJournal(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            DefaultTimeout = BusyTimeoutSeconds,

            // The journal is the one connection the agent holds: closing it must close the file (the last
            // connection checkpoints the WAL), not park it in a pool.
            Pooling = false,
        }.ToString());
        try
        {
            _connection.Open();
            Execute("PRAGMA journal_mode=WAL;");
            Execute("PRAGMA synchronous=FULL;");
            Execute("""
                CREATE TABLE IF NOT EXISTS steps (
                  run_id TEXT NOT NULL, step_id TEXT NOT NULL, action_kind TEXT NOT NULL,
                  status INTEGER NOT NULL, started_at INTEGER NOT NULL, finished_at INTEGER,
                  summary TEXT, error TEXT, dry_run TEXT, already_done INTEGER, verified INTEGER,
                  seq INTEGER NOT NULL,
                  PRIMARY KEY (run_id, step_id));
                CREATE INDEX IF NOT EXISTS steps_seq ON steps(seq);
                """);
        }
        catch
        {
            // A journal that cannot be set up (not a database, read-only) must not leave its connection open.
            _connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Journals the step as started unless an entry for (run, step) exists; returns that existing entry,
    /// or null when this call created it (and the caller may run the step).
    /// </summary>
    public StepJournalEntry? TryBegin(string runId, string stepId, string actionKind, DateTimeOffset startedAt)
    {
        lock (_gate)
        {
            if (Get(runId, stepId) is { } existing)
            {
                return existing;
            }

            using var command = Command("""
                INSERT INTO steps (run_id, step_id, action_kind, status, started_at, seq)
                VALUES ($run, $step, $kind, $status, $at, (SELECT COALESCE(MAX(seq), 0) + 1 FROM steps));
                """);
            command.Parameters.AddWithValue("$run", runId);
            command.Parameters.AddWithValue("$step", stepId);
            command.Parameters.AddWithValue("$kind", actionKind);
            command.Parameters.AddWithValue("$status", (int)StepStatus.Started);
            command.Parameters.AddWithValue("$at", startedAt.ToUnixTimeMilliseconds());
            command.ExecuteNonQuery();
            return null;
        }
    }

    /// <summary>Records the terminal outcome of a step journaled by <see cref="TryBegin"/>.</summary>
    public void Complete(string runId, string stepId, StepOutcome outcome)
    {
        lock (_gate)
        {
            using var command = Command("""
                UPDATE steps SET status = $status, finished_at = $fin, summary = $sum, error = $err,
                  dry_run = $dry, already_done = $done, verified = $ver
                WHERE run_id = $run AND step_id = $step;
                """);
            command.Parameters.AddWithValue("$run", runId);
            command.Parameters.AddWithValue("$step", stepId);
            command.Parameters.AddWithValue("$status", (int)outcome.Status);
            command.Parameters.AddWithValue("$fin", outcome.FinishedAt.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$sum", outcome.Summary);
            command.Parameters.AddWithValue("$err", outcome.Error);
            command.Parameters.AddWithValue("$dry", outcome.DryRun);
            command.Parameters.AddWithValue("$done", outcome.AlreadyDone ? 1 : 0);
            command.Parameters.AddWithValue("$ver", outcome.Verified ? 1 : 0);
            if (command.ExecuteNonQuery() != 1)
            {
                throw new InvalidOperationException($"run {runId} step {stepId} was never journaled as started");
            }
        }
    }

    /// <summary>The entry for (run, step), or null.</summary>
    public StepJournalEntry? Get(string runId, string stepId)
    {
        lock (_gate)
        {
            return Query("WHERE run_id = $run AND step_id = $step", ("$run", runId), ("$step", stepId)).FirstOrDefault();
        }
    }

    /// <summary>Every entry of a run in the order the steps were started.</summary>
    public IReadOnlyList<StepJournalEntry> ListRun(string runId)
    {
        lock (_gate)
        {
            return Query("WHERE run_id = $run ORDER BY seq", ("$run", runId));
        }
    }

    /// <summary>The most recent <paramref name="count"/> entries, newest first.</summary>
    public IReadOnlyList<StepJournalEntry> Recent(int count)
    {
        lock (_gate)
        {
            return Query("ORDER BY seq DESC LIMIT $n", ("$n", count));
        }
    }

    /// <inheritdoc />
    public void Dispose() => _connection.Dispose();

    private SqliteCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private void Execute(string sql)
    {
        using var command = Command(sql);
        command.ExecuteNonQuery();
    }
}
