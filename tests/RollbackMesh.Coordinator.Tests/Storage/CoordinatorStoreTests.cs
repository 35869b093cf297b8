using System.Collections.Immutable;
using Microsoft.Data.Sqlite;
using RollbackMesh.Coordinator.Audit;
using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Storage;
using Xunit;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Tests.Storage;

public sealed class CoordinatorStoreTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rollbackmesh-store-").FullName;

    private string DbPath => Path.Combine(_directory, "c.db");

    [Fact]
    public async Task Open_NewFile_UsesWriteAheadLog()
    {
        await using (CoordinatorStore.Open(DbPath))
        {
        }

        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
    }

    [Fact]
    public async Task InsertRun_ThenReopen_PlanAndStepsRoundTrip()
    {
        var action = new V1.Action { K3SClusterReset = new V1.K3sClusterReset { SnapshotPath = "/snap/x.db", Token = "t" } };
        var step = new PlanStep("p/n1/reset", "p", "n1", "reset", action, TimeSpan.FromMinutes(5), true, true, "k3s.md#restore");
        var plan = new Plan("rb", "2", "k3s.md", ImmutableSortedDictionary<string, string>.Empty.Add("version", "v1.29"), [step with { StepId = "pre/n1/x", Phase = "preflight" }],
            [new PlanPhase("p", "first-server", PhaseMode.Serial, 1, 0, [new PlanWave(0, [new PlanNodeSteps("n1", [step])])],
                new PlanGate([new GateCheck(GateCheckKind.VersionMatches, "k3s", "v1\\.29")], TimeSpan.FromMinutes(3)))], "abc123");
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var run = new RunRecord("r1", "rb", "abc123", RunState.Running, "p", "started", "alice", now, null, "", false);
        var steps = new[] { new StepRecord("r1", "p/n1/reset", 0, "n1", "p", "reset", StepState.Pending, "", "", now, false, 0) };
        await using (var store = CoordinatorStore.Open(DbPath))
        {
            await store.InsertRunAsync(run, plan, steps, new AuditEntry(now, "alice", "run.start", "r1", ""));
            await store.SaveStepAsync(steps[0] with { State = StepState.Dispatched, DispatchCount = 1 });
        }

        await using var reopened = CoordinatorStore.Open(DbPath);
        var (storedRun, storedPlan) = reopened.LoadRun("r1")!.Value;
        Assert.Equal(run, storedRun);
        Assert.Equal(plan.Hash, storedPlan.Hash);
        Assert.Equal(plan.Parameters, storedPlan.Parameters);
        Assert.Equal(step, storedPlan.Phases[0].Waves[0].Nodes[0].Steps[0]);
        Assert.Equal(plan.Phases[0].Gate!.Checks.Single(), storedPlan.Phases[0].Gate!.Checks.Single());
        Assert.Equal("pre/n1/x", storedPlan.Preflight.Single().StepId);
        Assert.Equal(StepState.Dispatched, reopened.LoadSteps("r1").Single().State);
    }

    [Fact]
    public async Task Open_DatabaseFromBeforeAttempts_MigratedWithEveryRunAndStepAtAttemptOne()
    {
        // The schema as coordinators before migration 1 created it (StoreSchema.Sql is still that version), with a run.
        using (var old = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            old.Open();
            using var command = old.CreateCommand();
            command.CommandText = StoreSchema.Sql + """
                INSERT INTO runs VALUES ('r1', 'rb', 'h', '{}', 6, 'p', 'failed', 'alice', 1000, 2000, '', 1);
                INSERT INTO steps VALUES ('r1', 'p/n1/a', 0, 'n1', 'p', 'a', 5, '', 'boom', 1500, 0, 1);
                """;
            command.ExecuteNonQuery();
        }

        await using (var store = CoordinatorStore.Open(DbPath))
        {
            var step = Assert.Single(store.LoadSteps("r1"));
            Assert.Equal((StepState.Failed, "boom", 1), (step.State, step.Error, step.Attempt));
            Assert.Equal(1, Assert.Single(store.ListRuns()).Attempt);
            await store.SaveStepAsync(step with { State = StepState.Pending, Attempt = 2 });
        }

        await using (var reopened = CoordinatorStore.Open(DbPath))
        {
            Assert.Equal(2, Assert.Single(reopened.LoadSteps("r1")).Attempt);
        }

        using var check = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        check.Open();
        using var version = check.CreateCommand();
        version.CommandText = "PRAGMA user_version";
        Assert.Equal((long)StoreSchema.Migrations.Count, version.ExecuteScalar());
    }

    [Fact]
    public async Task Open_DatabaseFromBeforeClusters_NodesMigratedWithoutClusterThenStoredInTheColumn()
    {
        // A file at version 1 (before migration 2 added nodes.cluster) holding a node.
        using (var old = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            old.Open();
            using var command = old.CreateCommand();
            command.CommandText = StoreSchema.Sql + StoreSchema.Migrations[0] + """
                PRAGMA user_version = 1;
                INSERT INTO nodes VALUES ('n1', '{"Name":"n1","Roles":["server"],"Labels":{},"AgentVersion":"0.1.0","Capabilities":[],"Facts":{}}', 1000);
                """;
            command.ExecuteNonQuery();
        }

        await using (var store = CoordinatorStore.Open(DbPath))
        {
            var (node, _) = Assert.Single(store.LoadNodes());
            Assert.Equal(("n1", ""), (node.Name, node.Cluster));
            await store.SaveNodeAsync(node with { Cluster = "edge-01" }, null);
        }

        await using (var reopened = CoordinatorStore.Open(DbPath))
        {
            Assert.Equal("edge-01", Assert.Single(reopened.LoadNodes()).Node.Cluster);
        }

        using var check = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        check.Open();
        using var column = check.CreateCommand();
        column.CommandText = "SELECT cluster, instr(identity, 'edge-01') FROM nodes WHERE name = 'n1'";
        using var reader = column.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(("edge-01", 0L), (reader.GetString(0), reader.GetInt64(1))); // one owner: the column, not the JSON
    }

    [Fact]
    public async Task Open_DatabaseFromBeforeRunClusters_RunsMigratedWithoutClusterAndTheUnfinishedOneFoundByCluster()
    {
        // A file at version 2 (before migration 3 added runs.cluster): one run still running, one failed.
        using (var old = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            old.Open();
            using var command = old.CreateCommand();
            command.CommandText = StoreSchema.Sql + StoreSchema.Migrations[0] + StoreSchema.Migrations[1] + """
                PRAGMA user_version = 2;
                INSERT INTO runs VALUES ('r1', 'rb', 'h', '{}', 2, 'p', 'started', 'alice', 1000, NULL, '', 0, 1);
                INSERT INTO runs VALUES ('r0', 'rb', 'h', '{}', 6, 'p', 'failed', 'alice', 500, 900, '', 1, 1);
                """;
            command.ExecuteNonQuery();
        }

        await using var store = CoordinatorStore.Open(DbPath);
        var plan = new Plan("rb", "1", "p.md", ImmutableSortedDictionary<string, string>.Empty, [], [], "h2") { Cluster = "alpha" };
        var alpha = new RunRecord("r2", "rb", "h2", RunState.Paused, "p", "paused", "bob", DateTimeOffset.FromUnixTimeMilliseconds(3000), null, "", false) { Cluster = "alpha" };
        await store.InsertRunAsync(alpha, plan, [], new AuditEntry(alpha.StartedAt, "bob", "run.start", "r2", ""));

        Assert.Equal(["", ""], store.ListRuns(null, null).Where(r => r.RunId != "r2").Select(r => r.Cluster));
        Assert.Equal("r1", store.FindUnfinishedRun("")?.RunId);
        Assert.Equal("r2", store.FindUnfinishedRun("alpha")?.RunId);
        Assert.Null(store.FindUnfinishedRun("alpha", exceptRunId: "r2"));
        Assert.Null(store.FindUnfinishedRun("beta"));
        Assert.Equal(["r2"], store.ListRuns("alpha", null).Select(r => r.RunId));
        Assert.Equal(["r0"], store.ListRuns(null, RunState.Failed).Select(r => r.RunId));
        await store.SaveRunAsync(alpha with { State = RunState.Aborted, FinishedAt = DateTimeOffset.FromUnixTimeMilliseconds(4000) });
        Assert.Null(store.FindUnfinishedRun("alpha"));
        Assert.Equal("alpha", store.LoadRun("r2")?.Run.Cluster);
    }

    [Fact]
    public void Open_DatabaseFromANewerCoordinator_RefusedNamingBothVersions()
    {
        using (var newer = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            newer.Open();
            using var command = newer.CreateCommand();
            command.CommandText = StoreSchema.Sql + $"PRAGMA user_version = {StoreSchema.Migrations.Count + 5};";
            command.ExecuteNonQuery();
        }

        var refused = Assert.Throws<InvalidDataException>(() => CoordinatorStore.Open(DbPath));
        Assert.Contains($"schema version {StoreSchema.Migrations.Count + 5}, newer than this coordinator knows ({StoreSchema.Migrations.Count})", refused.Message);
    }

    [Fact]
    public async Task WriteAsync_ManyConcurrentWrites_AllCommittedInOrderAndOneBadWriteFailsAlone()
    {
        await using var store = CoordinatorStore.Open(DbPath);
        var now = DateTimeOffset.UtcNow;
        var writes = Enumerable.Range(0, 500).Select(i => store.AppendAuditAsync(new AuditEntry(now, "w", "e", "r", i.ToString()))).ToList();
        var bad = store.WriteAsync(c =>
        {
            using var command = c.CreateCommand();
            command.CommandText = "INSERT INTO no_such_table VALUES (1)";
            command.ExecuteNonQuery();
        });
        writes.Add(store.AppendAuditAsync(new AuditEntry(now, "w", "e", "r", "500")));

        await Task.WhenAll(writes);
        await Assert.ThrowsAsync<SqliteException>(() => bad);
        Assert.Equal(Enumerable.Range(0, 501).Select(i => i.ToString()), store.QueryAudit("r", 1000).Select(e => e.Detail));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
