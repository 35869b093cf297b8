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

    public void Dispose() => _root.Dispose();
}
