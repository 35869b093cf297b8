using System.Collections.Immutable;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using RollbackMesh.Coordinator.Audit;
using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Model;
using RollbackMesh.Coordinator.Storage;

namespace RollbackMesh.Coordinator.Campaigns;

/// <summary>
/// One campaign as an actor: cluster starts (done off the loop) and runs ending, operator commands and its own "look
/// again" are messages on one inbox, and a single loop is the only code that changes the campaign (commit to the store, then publish to
/// watchers, then reply). What to do next is <see cref="CampaignSchedule.Next"/>; each cluster's run is an ordinary
/// run started through <see cref="RunExecutor"/> (so the order inside the cluster and the cluster lock apply). A wave is
/// recorded before its runs start and every run carries the campaign's id, so after a crash a new driver adopts a run
/// recorded just before it and never starts a cluster twice.
/// </summary>
internal sealed partial class CampaignDriver : IAsyncDisposable
{
    /// <summary>Who the campaign's own transitions (waves, stop the line, end) are audited as.</summary>
    public const string Coordinator = "coordinator";

    private readonly CoordinatorStore _store;
    private readonly RunExecutor _runs;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<CampaignMessage> _inbox = Channel.CreateUnbounded<CampaignMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop;
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<Channel<CampaignEventRecord>> _watchers = [];
    // Clusters being started off the loop (dry runs, then the run's start); the loop alone reads and changes it.
    private readonly HashSet<string> _starting = new(StringComparer.Ordinal);
    private Task _loop = Task.CompletedTask;

    // Only the loop assigns it; readers see one whole snapshot or the next.
    private CampaignSnapshot _snapshot;

    public CampaignDriver(CoordinatorStore store, RunExecutor runs, TimeProvider time, ILogger logger, CampaignSnapshot initial, CancellationToken shutdown)
    {
        _store = store;
        _runs = runs;
        _time = time;
        _logger = logger;
        _snapshot = initial;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        CampaignId = initial.Campaign.CampaignId;
    }

    public string CampaignId { get; }

    /// <summary>Completes when the campaign has ended (not when the coordinator shuts down).</summary>
    public Task Finished => _finished.Task;

    public CampaignSnapshot Snapshot => _snapshot;

    /// <param name="resumed">Built from the store after a restart: recover before anything else.</param>
    public void Start(bool resumed)
    {
        if (resumed)
        {
            _inbox.Writer.TryWrite(new RecoverCampaign());
        }

        _inbox.Writer.TryWrite(new AdvanceCampaign());
        _loop = Task.Run(LoopAsync);
    }

    public Task<CampaignSnapshot> ControlAsync(CampaignCommand command, string who, string reason)
    {
        var reply = new TaskCompletionSource<CampaignSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_inbox.Writer.TryWrite(new ControlCampaign(command, who, reason, reply)))
        {
            reply.TrySetException(new RunStateException($"Campaign {CampaignId} is {_snapshot.Campaign.State}."));
        }

        return reply.Task;
    }

    /// <summary>The campaign's changes from now until it ends, starting with its current state.</summary>
    public ChannelReader<CampaignEventRecord> Watch()
    {
        var channel = Channel.CreateBounded<CampaignEventRecord>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        if (!_inbox.Writer.TryWrite(new AddCampaignWatcher(channel)))
        {
            channel.Writer.TryWrite(new CampaignEventRecord(_time.GetUtcNow(), _snapshot.Campaign.Message, _snapshot));
            channel.Writer.TryComplete();
        }

        return channel.Reader;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _inbox.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        foreach (var watcher in _watchers)
        {
            watcher.Writer.TryComplete();
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        await foreach (var message in _inbox.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (_stop.IsCancellationRequested)
            {
                (message as ControlCampaign)?.Reply.TrySetCanceled();
                continue;
            }

            try
            {
                await HandleAsync(message).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                (message as ControlCampaign)?.Reply.TrySetCanceled();
            }
            catch (Exception ex)
            {
                (message as ControlCampaign)?.Reply.TrySetException(ex);
                if (ex is not RunStateException)
                {
                    Log.Failed(_logger, ex, CampaignId, message.GetType().Name);
                }
            }
        }
    }

    private Task HandleAsync(CampaignMessage message) => message switch
    {
        RecoverCampaign => RecoverAsync(),
        AdvanceCampaign => AdvanceAsync(),
        ClusterStarted started => OnClusterStartedAsync(started.Cluster),
        ClusterRunEnded ended => OnRunEndedAsync(ended),
        ControlCampaign control => ControlCoreAsync(control),
        AddCampaignWatcher watcher => AddWatcher(watcher.Channel),
        _ => Task.CompletedTask,
    };

    private Task AddWatcher(Channel<CampaignEventRecord> channel)
    {
        channel.Writer.TryWrite(new CampaignEventRecord(_time.GetUtcNow(), _snapshot.Campaign.Message, _snapshot));
        if (_snapshot.Campaign.IsFinished)
        {
            channel.Writer.TryComplete();
        }
        else
        {
            _watchers.Add(channel);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Follows every started, unfinished cluster run; a pending cluster of a wave already recorded as started may have
    /// had its run recorded just before a crash: it is adopted (found by campaign and cluster), not started again.
    /// </summary>
    private async Task RecoverAsync()
    {
        var adopted = new List<CampaignClusterRecord>();
        foreach (var cluster in _snapshot.Clusters.Where(c => c.State == RunState.Pending && c.Wave <= _snapshot.Campaign.CurrentWave))
        {
            if (_store.FindCampaignRun(CampaignId, cluster.Cluster) is { } run)
            {
                adopted.Add(cluster with { RunId = run.RunId, State = run.State, Message = run.Message, StartedAt = run.StartedAt, FinishedAt = run.FinishedAt });
            }
        }

        if (adopted.Count > 0)
        {
            await SaveAsync(_snapshot.Campaign, adopted, null, $"adopted the run(s) of {string.Join(", ", adopted.Select(c => c.Cluster))} recorded before the restart").ConfigureAwait(false);
        }

        foreach (var cluster in _snapshot.Clusters.Where(c => c.RunId.Length > 0 && !c.IsFinished))
        {
            Follow(cluster.Cluster, cluster.RunId);
        }
    }

    /// <summary>Does what the schedule says until it says wait.</summary>
    private async Task AdvanceAsync()
    {
        while (true)
        {
            var campaign = _snapshot.Campaign;
            // A cluster being started counts as running: nothing ends, or starts it again, before its start is known.
            var clusters = _snapshot.Clusters.Select(c => _starting.Contains(c.Cluster) ? c with { State = RunState.Running } : c).ToList();
            switch (CampaignSchedule.Next(campaign, clusters))
            {
                case CampaignStep.StartWave start:
                    await StartWaveAsync(start).ConfigureAwait(false);
                    return;
                case CampaignStep.AwaitApproval when campaign.State != RunState.AwaitingApproval:
                    var canaries = string.Join(", ", _snapshot.Clusters.Where(c => c.Canary).Select(c => c.Cluster));
                    var waiting = $"Canary cluster(s) {canaries} succeeded; waiting for approval: rollbackmesh campaign approve {CampaignId}.";
                    await SaveAsync(campaign with { State = RunState.AwaitingApproval, Message = waiting }, [],
                        Audit("campaign.awaiting_approval", Coordinator, waiting), waiting).ConfigureAwait(false);
                    return;
                case CampaignStep.StopTheLine stop when stop.Message != campaign.Message:
                    // Audited once, when the line first stops; the message then follows the runs still going.
                    var first = !campaign.Message.StartsWith("Stopped the line", StringComparison.Ordinal);
                    await SaveAsync(campaign with { Message = stop.Message }, [],
                        first ? Audit("campaign.stop_the_line", Coordinator, stop.Message) : null, stop.Message).ConfigureAwait(false);
                    return;
                case CampaignStep.Finish finish:
                    if (finish.State == RunState.Failed && !campaign.Message.StartsWith("Stopped the line", StringComparison.Ordinal))
                    {
                        await _store.AppendAuditAsync(Audit("campaign.stop_the_line", Coordinator, finish.Message)).ConfigureAwait(false);
                    }

                    await EndAsync(campaign with { State = finish.State, Message = finish.Message, FinishedAt = _time.GetUtcNow() }, [],
                        Audit("campaign.end", Coordinator, $"{finish.State}: {finish.Message}")).ConfigureAwait(false);
                    return;
                default:
                    return;
            }
        }
    }

    /// <summary>
    /// Records the wave (when it is new) before starting anything, then starts each pending cluster off the loop: its
    /// plan as stored, judged again with fresh dry runs as a single apply would be, then its run; the outcome comes back
    /// as <see cref="ClusterStarted"/>. So commands (pause, abort) are answered while a wave's dry runs are out.
    /// </summary>
    private async Task StartWaveAsync(CampaignStep.StartWave start)
    {
        var campaign = _snapshot.Campaign;
        if (start.Wave > campaign.CurrentWave)
        {
            var what = start.Wave == 0 ? "canary wave" : $"wave {start.Wave}";
            var message = $"Started {what}: {string.Join(", ", start.Clusters)}.";
            await SaveAsync(campaign with { CurrentWave = start.Wave, Message = message }, [],
                Audit("campaign.wave", Coordinator, $"{what}: {string.Join(", ", start.Clusters)}"), message).ConfigureAwait(false);
        }

        var ct = _stop.Token;
        foreach (var cluster in _snapshot.Clusters.Where(c => start.Clusters.Contains(c.Cluster) && _starting.Add(c.Cluster)))
        {
            _ = Task.Run(async () =>
            {
                CampaignClusterRecord started;
                try
                {
                    started = await StartClusterAsync(cluster).ConfigureAwait(false);
                }
                catch (Exception) when (ct.IsCancellationRequested)
                {
                    return;   // shutting down: the next coordinator adopts a run recorded by now, or starts the cluster
                }
                catch (Exception ex)
                {
                    var now = _time.GetUtcNow();
                    started = cluster with { State = RunState.Failed, StartedAt = now, FinishedAt = now, Message = "not started: " + ex.Message };
                }

                _inbox.Writer.TryWrite(new ClusterStarted(started));
            }, CancellationToken.None);
        }
    }

    private async Task OnClusterStartedAsync(CampaignClusterRecord started)
    {
        _starting.Remove(started.Cluster);
        var record = started;
        if (_snapshot.Campaign.IsFinished && record.RunId.Length > 0 && !record.IsFinished)
        {
            // The campaign was aborted while this cluster's run was being started: it is aborted too.
            RunRecord run;
            try
            {
                run = await _runs.AbortAsync(record.RunId, Coordinator, $"campaign {CampaignId} ended {_snapshot.Campaign.State} while the run started").ConfigureAwait(false);
            }
            catch (RunStateException)
            {
                run = _runs.Get(record.RunId).Run;
            }

            record = record with { State = run.State, Message = run.Message, FinishedAt = run.FinishedAt };
        }

        await SaveAsync(_snapshot.Campaign, [record], null, $"{record.Cluster}: {record.Message}").ConfigureAwait(false);
        if (record.RunId.Length > 0 && !record.IsFinished)
        {
            Follow(record.Cluster, record.RunId);
        }

        await AdvanceAsync().ConfigureAwait(false);
    }

    private async Task<CampaignClusterRecord> StartClusterAsync(CampaignClusterRecord cluster)
    {
        var plan = _store.LoadCampaignPlan(CampaignId, cluster.Cluster);
        var now = _time.GetUtcNow();
        var (_, verdict) = await _runs.ReviewAsync(plan, _stop.Token).ConfigureAwait(false);
        if (!verdict.Ok)
        {
            return cluster with
            {
                State = RunState.Failed, StartedAt = now, FinishedAt = _time.GetUtcNow(),
                Message = "not started, preflight refused its plan: " + string.Join("; ", verdict.Problems.Select(plan.Redact)),
            };
        }

        try
        {
            var run = (await _runs.StartAsync(plan, _snapshot.Campaign.StartedBy, CampaignId).ConfigureAwait(false)).Run;
            return cluster with { RunId = run.RunId, State = run.State, StartedAt = run.StartedAt, Message = $"run {run.RunId} started" };
        }
        catch (RunStateException ex)
        {
            return cluster with { State = RunState.Failed, StartedAt = now, FinishedAt = _time.GetUtcNow(), Message = "not started: " + ex.Message };
        }
    }

    /// <summary>Posts the run's end to the inbox once it has ended (at once when the store already says so).</summary>
    private void Follow(string cluster, string runId)
    {
        var ct = _stop.Token;
        _ = Task.Run(async () =>
        {
            try
            {
                var run = _runs.Get(runId).Run;
                if (!run.IsFinished)
                {
                    await _runs.WaitAsync(runId).WaitAsync(ct).ConfigureAwait(false);
                    run = _runs.Get(runId).Run;
                }

                if (run.IsFinished && !ct.IsCancellationRequested)
                {
                    _inbox.Writer.TryWrite(new ClusterRunEnded(cluster, run));
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException || ct.IsCancellationRequested)
            {
                // Shutting down: the next coordinator follows the run again.
            }
            catch (Exception ex)
            {
                Log.FollowFailed(_logger, ex, CampaignId, cluster, runId);
            }
        }, CancellationToken.None);
    }

    private async Task OnRunEndedAsync(ClusterRunEnded ended)
    {
        var cluster = _snapshot.Clusters.FirstOrDefault(c => c.Cluster == ended.Cluster);
        if (cluster is null || cluster.RunId != ended.Run.RunId || cluster.IsFinished || _snapshot.Campaign.IsFinished)
        {
            return;
        }

        var updated = cluster with { State = ended.Run.State, Message = ended.Run.Message, FinishedAt = ended.Run.FinishedAt ?? _time.GetUtcNow() };
        await SaveAsync(_snapshot.Campaign, [updated], null, $"{cluster.Cluster}: run {ended.Run.RunId} ended {ended.Run.State}").ConfigureAwait(false);
        await AdvanceAsync().ConfigureAwait(false);
    }

    private async Task ControlCoreAsync(ControlCampaign control)
    {
        var campaign = _snapshot.Campaign;
        if (campaign.IsFinished)
        {
            throw new RunStateException($"Campaign {CampaignId} already ended {campaign.State}.");
        }

        var reason = control.Reason.Length > 0 ? $": {control.Reason}" : "";
        switch (control.Command)
        {
            case CampaignCommand.Pause:
                Require(campaign.State == RunState.Running, $"Campaign {CampaignId} is {campaign.State}; only a running campaign can be paused.");
                var paused = $"Paused by {control.Who}{reason}; no new cluster starts, running cluster runs continue.";
                await SaveAsync(campaign with { State = RunState.Paused, Message = paused }, [], Audit("campaign.pause", control.Who, control.Reason), paused).ConfigureAwait(false);
                break;
            case CampaignCommand.Resume:
                Require(campaign.State == RunState.Paused, $"Campaign {CampaignId} is {campaign.State}, not paused.");
                var resumed = $"Resumed by {control.Who}{reason}.";
                await SaveAsync(campaign with { State = RunState.Running, Message = resumed }, [], Audit("campaign.resume", control.Who, control.Reason), resumed).ConfigureAwait(false);
                break;
            case CampaignCommand.Approve:
                Require(campaign.ApproveAfterCanary, $"Campaign {CampaignId} has no approval gate (it was not applied with --approve-after-canary).");
                Require(!campaign.Approved, $"Campaign {CampaignId} was already approved.");
                var approved = $"Approved by {control.Who}{reason}.";
                var state = campaign.State == RunState.AwaitingApproval ? RunState.Running : campaign.State;
                await SaveAsync(campaign with { Approved = true, State = state, Message = approved }, [], Audit("campaign.approve", control.Who, control.Reason), approved).ConfigureAwait(false);
                break;
            case CampaignCommand.Abort:
                await AbortCoreAsync(control).ConfigureAwait(false);
                control.Reply.TrySetResult(_snapshot);
                return;
        }

        control.Reply.TrySetResult(_snapshot);
        await AdvanceAsync().ConfigureAwait(false);
    }

    /// <summary>Aborts every running cluster run (each recorded by the run executor), then ends the campaign ABORTED.</summary>
    private async Task AbortCoreAsync(ControlCampaign control)
    {
        var changed = new List<CampaignClusterRecord>();
        foreach (var cluster in _snapshot.Clusters.Where(c => c.RunId.Length > 0 && !c.IsFinished))
        {
            RunRecord run;
            try
            {
                run = await _runs.AbortAsync(cluster.RunId, control.Who, $"campaign {CampaignId} aborted{(control.Reason.Length > 0 ? ": " + control.Reason : "")}").ConfigureAwait(false);
            }
            catch (RunStateException)
            {
                run = _runs.Get(cluster.RunId).Run;   // it ended on its own meanwhile
            }

            changed.Add(cluster with { State = run.State, Message = run.Message, FinishedAt = run.FinishedAt });
        }

        var pending = _snapshot.Clusters.Count(c => c.State == RunState.Pending && !_starting.Contains(c.Cluster));
        var starting = _starting.Count > 0 ? $", {_starting.Count} being started (aborted as they start: {string.Join(", ", _starting.Order(StringComparer.Ordinal))})" : "";
        var message = $"Aborted by {control.Who}{(control.Reason.Length > 0 ? ": " + control.Reason : "")}; {changed.Count} running cluster run(s) aborted{starting}, {pending} cluster(s) not started.";
        await EndAsync(_snapshot.Campaign with { State = RunState.Aborted, Message = message, FinishedAt = _time.GetUtcNow() }, changed,
            Audit("campaign.abort", control.Who, message)).ConfigureAwait(false);
    }

    private async Task EndAsync(CampaignRecord campaign, IReadOnlyList<CampaignClusterRecord> changed, AuditEntry audit)
    {
        await SaveAsync(campaign, changed, audit, campaign.Message).ConfigureAwait(false);
        foreach (var watcher in _watchers)
        {
            watcher.Writer.TryComplete();
        }

        _watchers.Clear();
        _finished.TrySetResult();
    }

    /// <summary>Commits, then publishes: watchers never see what the store does not hold.</summary>
    private async Task SaveAsync(CampaignRecord campaign, IReadOnlyList<CampaignClusterRecord> changed, AuditEntry? audit, string message)
    {
        await _store.SaveCampaignAsync(campaign, changed, audit).ConfigureAwait(false);
        var byName = changed.ToDictionary(c => c.Cluster, StringComparer.Ordinal);
        _snapshot = new CampaignSnapshot(campaign, [.. _snapshot.Clusters.Select(c => byName.GetValueOrDefault(c.Cluster, c))]);
        var change = new CampaignEventRecord(_time.GetUtcNow(), message, _snapshot);
        foreach (var watcher in _watchers)
        {
            watcher.Writer.TryWrite(change);
        }
    }

    private AuditEntry Audit(string what, string who, string detail) => new(_time.GetUtcNow(), who, what, CampaignId, detail);

    private static void Require(bool condition, string refusal)
    {
        if (!condition)
        {
            throw new RunStateException(refusal);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 401, Level = LogLevel.Error, Message = "Campaign {CampaignId}: handling {Message} failed")]
        public static partial void Failed(ILogger logger, Exception ex, string campaignId, string message);

        [LoggerMessage(EventId = 402, Level = LogLevel.Error, Message = "Campaign {CampaignId}: following the run {RunId} of cluster {Cluster} failed")]
        public static partial void FollowFailed(ILogger logger, Exception ex, string campaignId, string cluster, string runId);
    }
}
