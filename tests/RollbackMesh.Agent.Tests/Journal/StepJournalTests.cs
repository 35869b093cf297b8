using Microsoft.Data.Sqlite;
using RollbackMesh.Agent.Journal;
using RollbackMesh.Agent.Tests.Testbeds;

namespace RollbackMesh.Agent.Tests.Journal;

public sealed class StepJournalTests : IDisposable
{
    private readonly TempRoot _root = new();

    [Fact]
    public void TryBegin_SameStepTwice_SecondReturnsExistingEntry()
    {
        using var journal = new StepJournal(_root["j.db"]);
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        Assert.Null(journal.TryBegin("r1", "s1", "no_op", at));
        var existing = journal.TryBegin("r1", "s1", "no_op", at.AddSeconds(5));
        Assert.NotNull(existing);
        Assert.Equal(StepStatus.Started, existing.Status);
        Assert.Equal(at, existing.StartedAt);
    }

    [Fact]
    public void Complete_ThenReopen_OutcomeSurvives()
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        using (var journal = new StepJournal(_root["j.db"]))
        {
            journal.TryBegin("r1", "s1", "felix_config", at);
            journal.Complete("r1", "s1", new StepOutcome { Status = StepStatus.Succeeded, Summary = "edited", Verified = true, StartedAt = at, FinishedAt = at.AddSeconds(1) });
        }

        using var reopened = new StepJournal(_root["j.db"]);
        var entry = reopened.Get("r1", "s1");
        Assert.NotNull(entry?.Outcome);
        Assert.Equal(StepStatus.Succeeded, entry.Status);
        Assert.Equal("edited", entry.Outcome.Summary);
        Assert.True(entry.Outcome.Verified);
    }

    [Fact]
    public void ListRun_ReturnsOnlyThatRunInStartOrder_RecentNewestFirst()
    {
        using var journal = new StepJournal(_root["j.db"]);
        var at = DateTimeOffset.UtcNow;
        journal.TryBegin("r1", "b", "no_op", at);
        journal.TryBegin("r2", "x", "no_op", at);
        journal.TryBegin("r1", "a", "no_op", at);
        Assert.Equal(["b", "a"], journal.ListRun("r1").Select(e => e.StepId));
        Assert.Equal(["a", "x"], journal.Recent(2).Select(e => e.StepId));
    }

    [Fact]
    public void Open_UsesWalWithFullSync()
    {
        using (new StepJournal(_root["j.db"]))
        {
            Assert.True(File.Exists(_root["j.db-wal"]));
        }

        Assert.Equal("wal", Sh.Run("/usr/bin/sqlite3", _root["j.db"], "PRAGMA journal_mode;").Trim());
    }

    [Fact]
    public void Open_FileWrittenByPreviousVersion_ReadsItsRowsAndKeepsItsSchema()
    {
        // The schema and storage classes the Microsoft.Data.Sqlite journal wrote (strings TEXT, numbers INTEGER).
        const string OldSchema = """
            CREATE TABLE steps (
              run_id TEXT NOT NULL, step_id TEXT NOT NULL, action_kind TEXT NOT NULL,
              status INTEGER NOT NULL, started_at INTEGER NOT NULL, finished_at INTEGER,
              summary TEXT, error TEXT, dry_run TEXT, already_done INTEGER, verified INTEGER,
              seq INTEGER NOT NULL,
              PRIMARY KEY (run_id, step_id));
            CREATE INDEX steps_seq ON steps(seq);
            """;
        Sh.Run("/usr/bin/sqlite3", _root["j.db"], "PRAGMA journal_mode=WAL;" + OldSchema + """
            INSERT INTO steps VALUES ('r1', 's1', 'felix_config', 2, 1700000000000, 1700000001000, 'edited', '', '', 0, 1, 1);
            INSERT INTO steps VALUES ('r1', 's2', 'no_op', 1, 1700000002000, NULL, NULL, NULL, NULL, NULL, NULL, 2);
            """);
        var schemaBefore = Sh.Run("/usr/bin/sqlite3", _root["j.db"], ".schema");

        using (var journal = new StepJournal(_root["j.db"]))
        {
            var done = journal.Get("r1", "s1");
            Assert.Equal(StepStatus.Succeeded, done?.Status);
            Assert.Equal("edited", done?.Outcome?.Summary);
            Assert.True(done?.Outcome?.Verified);
            Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_001_000), done?.Outcome?.FinishedAt);
            var started = journal.Get("r1", "s2");
            Assert.Equal(StepStatus.Started, started?.Status);
            Assert.Null(started?.Outcome);
            Assert.Null(journal.TryBegin("r1", "s3", "no_op", DateTimeOffset.UtcNow));
            Assert.Equal(["s1", "s2", "s3"], journal.ListRun("r1").Select(e => e.StepId));
        }

        Assert.Equal(schemaBefore, Sh.Run("/usr/bin/sqlite3", _root["j.db"], ".schema"));
        Assert.Equal("3", Sh.Run("/usr/bin/sqlite3", _root["j.db"], "SELECT seq FROM steps WHERE step_id = 's3';").Trim());
    }

    [Fact]
    public void Complete_StoresEachColumnWithThePreviousStorageClass()
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        using (var journal = new StepJournal(_root["j.db"]))
        {
            journal.TryBegin("r1", "s1", "felix_config", at);
            journal.Complete("r1", "s1", new StepOutcome { Status = StepStatus.Failed, Error = "boom", StartedAt = at, FinishedAt = at.AddSeconds(2) });
        }

        Assert.Equal(
            "text|text|text|integer|integer|integer|text|text|text|integer|integer|integer",
            Sh.Run("/usr/bin/sqlite3", _root["j.db"], "SELECT typeof(run_id), typeof(step_id), typeof(action_kind), typeof(status), "
                + "typeof(started_at), typeof(finished_at), typeof(summary), typeof(error), typeof(dry_run), typeof(already_done), "
                + "typeof(verified), typeof(seq) FROM steps;").Trim());
        Assert.Equal("3|1700000002000||boom|0|0", Sh.Run("/usr/bin/sqlite3", _root["j.db"],
            "SELECT status, finished_at, summary, error, already_done, verified FROM steps;").Trim());
    }

    [Fact]
    public void Complete_StepNeverStarted_Throws()
    {
        using var journal = new StepJournal(_root["j.db"]);
        Assert.Throws<InvalidOperationException>(() =>
            journal.Complete("r1", "nope", new StepOutcome { Status = StepStatus.Succeeded }));
    }

    [Fact]
    public void Open_FileIsNotADatabase_ThrowsWithSqliteCode()
    {
        File.WriteAllText(_root["j.db"], new string('x', 8192));
        var ex = Assert.Throws<SqliteException>(() => new StepJournal(_root["j.db"]));
        Assert.Equal(26, ex.SqliteErrorCode);
        Assert.Contains("file is not a database", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TryBegin_OtherConnectionHoldsWriteLockBriefly_WaitsInsteadOfFailingBusy()
    {
        using var journal = new StepJournal(_root["j.db"]);
        using var operatorSession = new SqliteConnection($"Data Source={_root["j.db"]};Pooling=False");
        operatorSession.Open();
        using (var begin = operatorSession.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE; INSERT INTO steps (run_id, step_id, action_kind, status, started_at, seq) VALUES ('r0', 's0', 'no_op', 1, 0, 100);";
            begin.ExecuteNonQuery();
        }

        var release = Task.Run(async () =>
        {
            await Task.Delay(300);
            using var commit = operatorSession.CreateCommand();
            commit.CommandText = "COMMIT;";
            commit.ExecuteNonQuery();
        });

        // Without a busy timeout this fails at once with SQLITE_BUSY (5).
        Assert.Null(journal.TryBegin("r1", "s1", "no_op", DateTimeOffset.UtcNow));
        await release;

        // It ran after the other connection's commit: numbered after the row that connection wrote.
        Assert.Equal("101", Sh.Run("/usr/bin/sqlite3", _root["j.db"], "SELECT seq FROM steps WHERE run_id = 'r1';").Trim());
    }

    [Fact]
    public void Dispose_AfterQueries_ClosesTheFile()
    {
        var journal = new StepJournal(_root["j.db"]);
        journal.TryBegin("r1", "s1", "no_op", DateTimeOffset.UtcNow);
        Assert.Single(journal.ListRun("r1"));
        Assert.True(File.Exists(_root["j.db-wal"]));

        journal.Dispose();

        // The last connection to close checkpoints and deletes the -wal file: it only does so once really closed
        // (not parked in a connection pool, not held by an unfinalized statement).
        Assert.False(File.Exists(_root["j.db-wal"]));
    }

    [Fact]
    public void Complete_NonAsciiText_StoredAsTextAndReadBack()
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        using var journal = new StepJournal(_root["j.db"]);
        journal.TryBegin("r1", "s1", "no_op", at);
        journal.Complete("r1", "s1", new StepOutcome { Status = StepStatus.Succeeded, Summary = "Grüße ✓ 日本", StartedAt = at, FinishedAt = at });

        Assert.Equal("Grüße ✓ 日本", journal.Get("r1", "s1")?.Outcome?.Summary);
        Assert.Equal("Grüße ✓ 日本", Sh.Run("/usr/bin/sqlite3", _root["j.db"], "SELECT summary FROM steps;").Trim());
    }

    [Fact]
    public void TryBegin_ManyThreadsSameStep_ExactlyOneCreatesIt()
    {
        using var journal = new StepJournal(_root["j.db"]);
        var at = DateTimeOffset.UtcNow;
        var created = 0;
        Parallel.For(0, 16, _ =>
        {
            if (journal.TryBegin("r1", "s1", "no_op", at) is null)
            {
                Interlocked.Increment(ref created);
            }
        });
        Assert.Equal(1, created);
        Assert.Single(journal.ListRun("r1"));
    }

    public void Dispose() => _root.Dispose();
}
