using Microsoft.Data.Sqlite;
using RollbackMesh.Coordinator.Audit;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Storage;

internal sealed partial class CoordinatorStore
{
    /// <summary>Records a new run, its plan and every step (Pending) in one transaction.</summary>
    public Task InsertRunAsync(RunRecord run, Plan plan, IReadOnlyList<StepRecord> steps, AuditEntry audit)
    {
        var planJson = PlanCodec.Serialize(plan);
        return WriteAsync(c =>
        {
            using (var command = c.CreateCommand())
            {
                command.CommandText = """
                    INSERT INTO runs (run_id, runbook, plan_hash, plan, state, current_phase, message, started_by,
                        started_at, finished_at, awaiting_approval, preflight_passed, attempt, cluster)
                    VALUES ($id, $runbook, $hash, $plan, $state, $phase, $message, $by, $started, $finished, $awaiting, $preflight, $attempt, $cluster)
                    """;
                BindRun(command, run);
                command.Parameters.AddWithValue("$runbook", run.Runbook);
                command.Parameters.AddWithValue("$hash", run.PlanHash);
                command.Parameters.AddWithValue("$plan", planJson);
                command.Parameters.AddWithValue("$by", run.StartedBy);
                command.Parameters.AddWithValue("$started", run.StartedAt.ToUnixTimeMilliseconds());
                command.Parameters.AddWithValue("$cluster", run.Cluster);
                command.ExecuteNonQuery();
            }

            foreach (var step in steps)
            {
                UpsertStep(c, step);
            }

            InsertAudit(c, audit);
        });
    }

    /// <summary>Records a run's new header, with an optional audit entry in the same transaction.</summary>
    public Task SaveRunAsync(RunRecord run, AuditEntry? audit = null) => WriteAsync(c =>
    {
        UpdateRun(c, run);
        if (audit is not null)
        {
            InsertAudit(c, audit);
        }
    });

    /// <summary>Records a step's new state, with an optional audit entry in the same transaction.</summary>
    public Task SaveStepAsync(StepRecord step, AuditEntry? audit = null) => WriteAsync(c =>
    {
        UpsertStep(c, step);
        if (audit is not null)
        {
            InsertAudit(c, audit);
        }
    });

    /// <summary>
    /// Records a retry in one transaction: the run's new header (running again, its attempt counted), the steps
    /// reset for their new attempt, and the audit entry.
    /// </summary>
    public Task SaveRetryAsync(RunRecord run, IReadOnlyList<StepRecord> steps, AuditEntry audit) => WriteAsync(c =>
    {
        UpdateRun(c, run);
        foreach (var step in steps)
        {
            UpsertStep(c, step);
        }

        InsertAudit(c, audit);
    });

    /// <summary>The run's header and plan, or null when no such run exists.</summary>
    public (RunRecord Run, Plan Plan)? LoadRun(string runId) => Read(c =>
    {
        using var command = c.CreateCommand();
        command.CommandText = $"SELECT {RunColumns}, plan FROM runs WHERE run_id = $id";
        command.Parameters.AddWithValue("$id", runId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? (ReadRun(reader), PlanCodec.Deserialize(reader.GetString(13))) : ((RunRecord, Plan)?)null;
    });

    /// <summary>Every run's header, newest first.</summary>
    public IReadOnlyList<RunRecord> ListRuns() => Read(c =>
    {
        using var command = c.CreateCommand();
        command.CommandText = $"SELECT {RunColumns} FROM runs ORDER BY started_at DESC, run_id";
        using var reader = command.ExecuteReader();
        var runs = new List<RunRecord>();
        while (reader.Read())
        {
            runs.Add(ReadRun(reader));
        }

        return runs;
    });

    /// <summary>
    /// The headers of the runs matching both filters (null: any), newest first: <paramref name="cluster"/> the cluster
    /// the run covers, <paramref name="state"/> its state.
    /// </summary>
    public IReadOnlyList<RunRecord> ListRuns(string? cluster, RunState? state) => Read(c =>
    {
        using var command = c.CreateCommand();
        command.CommandText = $"""
            SELECT {RunColumns} FROM runs
            WHERE ($cluster IS NULL OR cluster = $cluster) AND ($state IS NULL OR state = $state)
            ORDER BY started_at DESC, run_id
            """;
        command.Parameters.AddWithValue("$cluster", (object?)cluster ?? DBNull.Value);
        command.Parameters.AddWithValue("$state", state is { } s ? (int)s : DBNull.Value);
        using var reader = command.ExecuteReader();
        var runs = new List<RunRecord>();
        while (reader.Read())
        {
            runs.Add(ReadRun(reader));
        }

        return runs;
    });

    /// <summary>
    /// The oldest stored run on <paramref name="cluster"/> that has not finished, other than <paramref name="exceptRunId"/>,
    /// or null. The store, not memory, answers, so the cluster lock holds across a coordinator restart.
    /// </summary>
    public RunRecord? FindUnfinishedRun(string cluster, string? exceptRunId = null) => Read(c =>
    {
        using var command = c.CreateCommand();
        command.CommandText = $"""
            SELECT {RunColumns} FROM runs
            WHERE cluster = $cluster AND state NOT IN ({FinishedStates}) AND run_id <> $except
            ORDER BY started_at, run_id LIMIT 1
            """;
        command.Parameters.AddWithValue("$cluster", cluster);
        command.Parameters.AddWithValue("$except", exceptRunId ?? "");
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadRun(reader) : null;
    });

    /// <summary>How many stored runs are in each state (states without runs are absent). One query, for metrics scrapes.</summary>
    public IReadOnlyDictionary<RunState, int> CountRunsByState() => Read(c =>
    {
        using var command = c.CreateCommand();
        command.CommandText = "SELECT state, COUNT(*) FROM runs GROUP BY state";
        using var reader = command.ExecuteReader();
        var counts = new Dictionary<RunState, int>();
        while (reader.Read())
        {
            counts[(RunState)reader.GetInt32(0)] = reader.GetInt32(1);
        }

        return counts;
    });

    /// <summary>The run's steps in plan order.</summary>
    public IReadOnlyList<StepRecord> LoadSteps(string runId) => Read(c =>
    {
        using var command = c.CreateCommand();
        command.CommandText = """
            SELECT run_id, step_id, ordinal, node, phase, name, state, summary, error, updated_at, approved, dispatch_count, attempt
            FROM steps WHERE run_id = $id ORDER BY ordinal
            """;
        command.Parameters.AddWithValue("$id", runId);
        using var reader = command.ExecuteReader();
        var steps = new List<StepRecord>();
        while (reader.Read())
        {
            steps.Add(new StepRecord(
                reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), (StepState)reader.GetInt32(6), reader.GetString(7), reader.GetString(8),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(9)), reader.GetInt64(10) != 0, reader.GetInt32(11))
            {
                Attempt = reader.GetInt32(12),
            });
        }

        return steps;
    });

    private const string RunColumns =
        "run_id, runbook, plan_hash, state, current_phase, message, started_by, started_at, finished_at, awaiting_approval, preflight_passed, attempt, cluster";

    private static readonly string FinishedStates = string.Join(", ", RunStateExtensions.Finished.Select(s => (int)s));

    private static RunRecord ReadRun(SqliteDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), (RunState)reader.GetInt32(3), reader.GetString(4),
        reader.GetString(5), reader.GetString(6), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
        reader.IsDBNull(8) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8)),
        reader.GetString(9), reader.GetInt64(10) != 0)
    {
        Attempt = reader.GetInt32(11),
        Cluster = reader.GetString(12),
    };

    private static void UpdateRun(SqliteConnection c, RunRecord run)
    {
        using var command = c.CreateCommand();
        command.CommandText = """
            UPDATE runs SET state = $state, current_phase = $phase, message = $message, finished_at = $finished,
                awaiting_approval = $awaiting, preflight_passed = $preflight, attempt = $attempt
            WHERE run_id = $id
            """;
        BindRun(command, run);
        command.ExecuteNonQuery();
    }

    private static void BindRun(SqliteCommand command, RunRecord run)
    {
        command.Parameters.AddWithValue("$id", run.RunId);
        command.Parameters.AddWithValue("$state", (int)run.State);
        command.Parameters.AddWithValue("$phase", run.CurrentPhase);
        command.Parameters.AddWithValue("$message", run.Message);
        command.Parameters.AddWithValue("$finished", run.FinishedAt is { } f ? f.ToUnixTimeMilliseconds() : DBNull.Value);
        command.Parameters.AddWithValue("$awaiting", run.AwaitingApproval);
        command.Parameters.AddWithValue("$preflight", run.PreflightPassed ? 1 : 0);
        command.Parameters.AddWithValue("$attempt", run.Attempt);
    }

    private static void UpsertStep(SqliteConnection c, StepRecord step)
    {
        using var command = c.CreateCommand();
        command.CommandText = """
            INSERT OR REPLACE INTO steps (run_id, step_id, ordinal, node, phase, name, state, summary, error, updated_at,
                approved, dispatch_count, attempt)
            VALUES ($run, $step, $ordinal, $node, $phase, $name, $state, $summary, $error, $updated, $approved, $count, $attempt)
            """;
        command.Parameters.AddWithValue("$run", step.RunId);
        command.Parameters.AddWithValue("$step", step.StepId);
        command.Parameters.AddWithValue("$ordinal", step.Ordinal);
        command.Parameters.AddWithValue("$node", step.Node);
        command.Parameters.AddWithValue("$phase", step.Phase);
        command.Parameters.AddWithValue("$name", step.Name);
        command.Parameters.AddWithValue("$state", (int)step.State);
        command.Parameters.AddWithValue("$summary", step.Summary);
        command.Parameters.AddWithValue("$error", step.Error);
        command.Parameters.AddWithValue("$updated", step.UpdatedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$approved", step.Approved ? 1 : 0);
        command.Parameters.AddWithValue("$count", step.DispatchCount);
        command.Parameters.AddWithValue("$attempt", step.Attempt);
        command.ExecuteNonQuery();
    }
}
