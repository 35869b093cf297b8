using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using RollbackMesh.Coordinator.Audit;
using RollbackMesh.Coordinator.Fleet;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Storage;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Execution;

/// <summary>
/// Starts, controls and resumes runs. One <see cref="RunDriver"/> per run drives it; all progress is in the store,
/// so after a crash a new executor over the same file continues every unfinished run
/// (<see cref="ResumeUnfinishedAsync"/>). Disposing stops the drivers without recording anything, exactly as a
/// crash would leave things. A cluster runs one run at a time: a start or retry is refused while the store holds an
/// unfinished run on the same cluster (<see cref="CoordinatorStore.FindUnfinishedRun"/>), so the lock is the stored
/// runs themselves and holds across a restart; runs on different clusters go side by side.
/// </summary>
internal sealed class RunExecutor : IAsyncDisposable
{
    private readonly ExecutorContext _context;
    private readonly RunInboxes _runs;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly DryRunDispatcher _dryRuns;
    // One start or retry at a time, so the cluster lock's check and the insert it guards cannot interleave.
    private readonly SemaphoreSlim _admission = new(1, 1);

    /// <summary>
    /// <paramref name="runs"/> must be the <see cref="RunInboxes"/> the session hub posts agent events to; without it the
    /// executor keeps its own, which only suits a host with no hub.
    /// </summary>
    public RunExecutor(
        CoordinatorStore store, FleetRegistry registry, IAgentLink link, ExecutorOptions options, TimeProvider time, ILogger<RunExecutor> logger,
        IStepObserver? stepObserver = null, RunInboxes? runs = null)
    {
        _context = new ExecutorContext(store, registry, link, options, time, logger, stepObserver);
        _runs = runs ?? new RunInboxes(store, time, Microsoft.Extensions.Logging.Abstractions.NullLogger<RunInboxes>.Instance);
        _dryRuns = new DryRunDispatcher(link, options, time, _runs.DryRuns);
    }

    /// <summary>Records a new run of <paramref name="plan"/> (all steps pending) and starts it.</summary>
    /// <exception cref="RunStateException">The plan's cluster has an unfinished run.</exception>
    public async Task<RunSnapshot> StartAsync(Plan plan, string who)
    {
        await _admission.WaitAsync().ConfigureAwait(false);
        try
        {
            return await StartAdmittedAsync(plan, who).ConfigureAwait(false);
        }
        finally
        {
            _admission.Release();
        }
    }

    /// <summary>The stored runs on <paramref name="cluster"/> in <paramref name="state"/> (null: any), newest first.</summary>
    public IReadOnlyList<RunRecord> List(string? cluster, RunState? state) => _context.Store.ListRuns(cluster, state);

    /// <summary>
    /// Why a run may not start on <paramref name="cluster"/> now (naming the unfinished run there other than
    /// <paramref name="exceptRunId"/>), or null when it may.
    /// </summary>
    public string? ClusterBusyReason(string cluster, string? exceptRunId = null) =>
        _context.Store.FindUnfinishedRun(cluster, exceptRunId) is { } active
            ? $"Cluster {ClusterScope.Describe(cluster)} already has run {active.RunId} ({active.Runbook}, {active.State}); a cluster runs one run at a time. Wait for it to end, or abort it."
            : null;

    private async Task<RunSnapshot> StartAdmittedAsync(Plan plan, string who)
    {
        if (ClusterBusyReason(plan.Cluster) is { } busy)
        {
            throw new RunStateException(busy);
        }

        var now = _context.Time.GetUtcNow();
        var runId = $"run-{now:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        var steps = plan.Preflight.Concat(plan.AllSteps)
            .Select((s, i) => new StepRecord(runId, s.StepId, i, s.Node, s.Phase, s.Name, StepState.Pending, "", "", now, false, 0))
            .ToList();
        var run = new RunRecord(runId, plan.Runbook, plan.Hash, RunState.Running, "preflight", "started", who, now, null, "", false) { Cluster = plan.Cluster };
        var audit = new AuditEntry(now, who, "run.start", runId, $"runbook {plan.Runbook} {plan.RunbookVersion}, cluster {ClusterScope.Describe(plan.Cluster)}, plan {plan.Hash}, {steps.Count} step(s)");
        await _context.Store.InsertRunAsync(run, plan, steps, audit).ConfigureAwait(false);
        var driver = new RunDriver(_context, plan, run, steps, resumed: false, _shutdown.Token);
        _runs.Open(driver);
        driver.Start();
        return driver.Snapshot();
    }

    /// <summary>Picks up every run the store holds as unfinished (after a coordinator restart). Returns their ids.</summary>
    public ImmutableArray<string> ResumeUnfinished()
    {
        var resumed = ImmutableArray.CreateBuilder<string>();
        foreach (var header in _context.Store.ListRuns().Where(r => !r.IsFinished && !_runs.Contains(r.RunId)))
        {
            var (run, plan) = _context.Store.LoadRun(header.RunId)!.Value;
            var driver = new RunDriver(_context, plan, run, _context.Store.LoadSteps(run.RunId), resumed: true, _shutdown.Token);
            if (_runs.TryOpen(driver))
            {
                driver.Start();
                resumed.Add(run.RunId);
            }
        }

        return resumed.ToImmutable();
    }

    /// <summary>
    /// Retries an ended run from its failed steps (<see cref="RunRetry"/>): checks the stored plan still has the run's
    /// hash and that no other run is active on its cluster, records the run running again with the reset steps and a <c>run.retry</c> audit entry by
    /// <paramref name="who"/> in one transaction, then drives the same plan; steps that succeeded are not sent again.
    /// </summary>
    public async Task<RunSnapshot> RetryAsync(string runId, string who, RetryAcceptance accept)
    {
        await _admission.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_runs.TryGet(runId, out var previous) && previous.Snapshot().Run is { IsFinished: false } live)
            {
                throw new RunStateException($"Run {runId} is {live.State}; it has not ended, so it cannot be retried (wait for it, or abort it and start a new run).");
            }

            var (run, plan) = _context.Store.LoadRun(runId) ?? throw new RunNotFoundException(runId);
            if (PlanHasher.Compute(plan) is var hash && !string.Equals(hash, run.PlanHash, StringComparison.Ordinal))
            {
                throw new RunStateException($"Run {runId} was not retried: its stored plan hashes to {hash}, not the run's plan {run.PlanHash}.");
            }

            if (ClusterBusyReason(run.Cluster, exceptRunId: runId) is { } busy)
            {
                throw new RunStateException($"Run {runId} was not retried: {busy}");
            }

            var now = _context.Time.GetUtcNow();
            var (header, reset) = RunRetry.Prepare(run, _context.Store.LoadSteps(runId), accept, who, now);
            var audit = new AuditEntry(now, who, "run.retry", runId, $"attempt {header.Attempt} of plan {plan.Hash}: {header.Message}");
            await _context.Store.SaveRetryAsync(header, reset, audit).ConfigureAwait(false);
            if (previous is not null)
            {
                await previous.DisposeAsync().ConfigureAwait(false);
            }

            var driver = new RunDriver(_context, plan, header, _context.Store.LoadSteps(runId), resumed: false, _shutdown.Token);
            _runs.Open(driver);
            driver.Start();
            return driver.Snapshot();
        }
        finally
        {
            _admission.Release();
        }
    }

    /// <summary>The run now (from memory when this process drives it, else from the store).</summary>
    public RunSnapshot Get(string runId)
    {
        if (_runs.TryGet(runId, out var driver))
        {
            return driver.Snapshot();
        }

        var stored = _context.Store.LoadRun(runId) ?? throw new RunNotFoundException(runId);
        return new RunSnapshot(stored.Run, [.. _context.Store.LoadSteps(runId)]);
    }

    /// <summary>The plan the run executes, as stored when it started.</summary>
    public Plan StoredPlan(string runId) => (_context.Store.LoadRun(runId) ?? throw new RunNotFoundException(runId)).Plan;

    /// <summary>The run's changes, starting with its current state, until it finishes or <paramref name="ct"/> fires.</summary>
    public async IAsyncEnumerable<RunEventRecord> WatchAsync(string runId, [EnumeratorCancellation] CancellationToken ct)
    {
        if (!_runs.TryGet(runId, out var driver))
        {
            var snapshot = Get(runId);
            yield return new RunEventRecord(_context.Time.GetUtcNow(), snapshot.Run.Message, snapshot);
            yield break;
        }

        await foreach (var change in driver.Watch().ReadAllAsync(ct).ConfigureAwait(false))
        {
            yield return change;
        }
    }

    public Task<RunRecord> PauseAsync(string runId, string who, string reason) => Driver(runId).PauseAsync(who, reason);

    public Task<RunRecord> ResumeAsync(string runId, string who, string reason) => Driver(runId).ResumeAsync(who, reason);

    public Task<RunRecord> AbortAsync(string runId, string who, string reason) => Driver(runId).AbortAsync(who, reason);

    public Task<RunRecord> ApproveAsync(string runId, string stepId, string who) => Driver(runId).ApproveAsync(stepId, who);

    /// <summary>Completes when the run's driver stops (finished, aborted, or shut down).</summary>
    public Task WaitAsync(string runId) => Driver(runId).Completion;

    /// <summary>
    /// Dry-runs every phase step of <paramref name="plan"/> and judges it (<see cref="PreflightVerdict"/>): what `plan`
    /// shows and what StartRun requires before it records a run. Changes nothing on any node.
    /// </summary>
    public async Task<(ImmutableDictionary<string, DryRunAnswer> DryRuns, PreflightVerdict Verdict)> ReviewAsync(Plan plan, CancellationToken ct)
    {
        var dryRuns = await _dryRuns.DescribeAsync(plan, ct).ConfigureAwait(false);
        return (dryRuns, PreflightVerdict.Of(plan, _context.Registry, _context.Options, dryRuns));
    }

    public async ValueTask DisposeAsync()
    {
        // Agents' events stop reaching the runs first, as in a crash: nothing they say from now on is recorded.
        var drivers = _runs.Drivers.ToList();
        drivers.ForEach(_runs.Close);
        await _shutdown.CancelAsync().ConfigureAwait(false);
        foreach (var driver in drivers)
        {
            await driver.DisposeAsync().ConfigureAwait(false);
        }

        _shutdown.Dispose();
        _admission.Dispose();
    }

    private RunDriver Driver(string runId)
    {
        if (_runs.TryGet(runId, out var driver))
        {
            return driver;
        }

        var stored = _context.Store.LoadRun(runId) ?? throw new RunNotFoundException(runId);
        throw new RunStateException($"Run {runId} is {stored.Run.State} and not driven by this coordinator.");
    }
}
