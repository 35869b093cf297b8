using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using RollbackMesh.Coordinator.Audit;
using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Model;
using RollbackMesh.Coordinator.Storage;

namespace RollbackMesh.Coordinator.Campaigns;

/// <summary>
/// Starts, controls and resumes campaigns, one <see cref="CampaignDriver"/> each. Everything a campaign knows is in
/// the store, so after a crash a new executor over the same file continues every unfinished campaign from its stored
/// clusters (<see cref="ResumeUnfinished"/>, called after the run executor resumed the cluster runs). Disposing stops
/// the drivers without recording anything, as a crash would.
/// </summary>
internal sealed class CampaignExecutor(CoordinatorStore store, RunExecutor runs, TimeProvider time, ILogger<CampaignExecutor> logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, CampaignDriver> _drivers = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _shutdown = new();
    private bool _disposed;

    /// <summary>Records the campaign (every cluster pending, with its plan) and starts it: canaries first.</summary>
    /// <exception cref="RunStateException">One of its clusters has an unfinished run now.</exception>
    public async Task<CampaignSnapshot> StartAsync(CampaignPlan plan, bool approveAfterCanary, string who)
    {
        var busy = plan.Clusters.Select(c => runs.ClusterBusyReason(c.Cluster)).OfType<string>().ToList();
        if (busy.Count > 0)
        {
            throw new RunStateException("No campaign was started: " + string.Join(" ", busy));
        }

        var now = time.GetUtcNow();
        var id = $"cmp-{now:yyyyMMdd-HHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        var options = plan.Options;
        var campaign = new CampaignRecord(id, plan.Runbook, plan.Hash, plan.Parameters, RunState.Running, options.Canary, options.Parallel,
            options.FailureBudget, approveAfterCanary, Approved: false, CurrentWave: -1, "started", who, now, null)
        {
            SecretParameters = plan.SecretParameters,
        };
        var clusters = plan.Clusters.Select((c, i) => (new CampaignClusterRecord(id, c.Cluster, i, c.Wave, c.Canary, c.Plan.Hash, "", RunState.Pending, "", null, null), c.Plan)).ToList();
        var gate = approveAfterCanary ? ", approval after the canaries" : "";
        var audit = new AuditEntry(now, who, "campaign.start", id,
            $"runbook {plan.Runbook}, campaign {plan.Hash}, {clusters.Count} cluster(s), canary {options.Canary}, parallel {options.Parallel}, failure budget {options.FailureBudget}{gate}");
        await store.InsertCampaignAsync(campaign, clusters, audit).ConfigureAwait(false);
        var driver = Open(new CampaignSnapshot(campaign, [.. clusters.Select(c => c.Item1)]), resumed: false);
        return driver.Snapshot;
    }

    /// <summary>Picks up every campaign the store holds as unfinished. Returns their ids.</summary>
    public ImmutableArray<string> ResumeUnfinished()
    {
        var resumed = ImmutableArray.CreateBuilder<string>();
        foreach (var header in store.ListCampaigns().Where(c => !c.IsFinished && !_drivers.ContainsKey(c.CampaignId)))
        {
            var (campaign, clusters) = store.LoadCampaign(header.CampaignId)!.Value;
            Open(new CampaignSnapshot(campaign, clusters), resumed: true);
            resumed.Add(campaign.CampaignId);
        }

        return resumed.ToImmutable();
    }

    /// <summary>The campaign now (from memory when this process drives it, else from the store).</summary>
    public CampaignSnapshot Get(string campaignId)
    {
        if (_drivers.TryGetValue(campaignId, out var driver))
        {
            return driver.Snapshot;
        }

        var stored = store.LoadCampaign(campaignId) ?? throw new CampaignNotFoundException(campaignId);
        return new CampaignSnapshot(stored.Campaign, stored.Clusters);
    }

    /// <summary>The stored campaigns in <paramref name="state"/> (null: any), newest first.</summary>
    public IReadOnlyList<CampaignRecord> List(RunState? state) => store.ListCampaigns(state);

    /// <summary>The campaign's changes, starting with its current state, until it ends or <paramref name="ct"/> fires.</summary>
    public async IAsyncEnumerable<CampaignEventRecord> WatchAsync(string campaignId, [EnumeratorCancellation] CancellationToken ct)
    {
        if (!_drivers.TryGetValue(campaignId, out var driver))
        {
            var snapshot = Get(campaignId);
            yield return new CampaignEventRecord(time.GetUtcNow(), snapshot.Campaign.Message, snapshot);
            yield break;
        }

        await foreach (var change in driver.Watch().ReadAllAsync(ct).ConfigureAwait(false))
        {
            yield return change;
        }
    }

    public Task<CampaignSnapshot> ControlAsync(string campaignId, CampaignCommand command, string who, string reason) =>
        Driver(campaignId).ControlAsync(command, who, reason);

    /// <summary>Completes when the campaign has ended.</summary>
    public Task WaitAsync(string campaignId) => Driver(campaignId).Finished;

    public async ValueTask DisposeAsync()
    {
        // A second dispose (a host's, after a test's) finds nothing left to stop.
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _shutdown.CancelAsync().ConfigureAwait(false);
        foreach (var driver in _drivers.Values)
        {
            await driver.DisposeAsync().ConfigureAwait(false);
        }

        _drivers.Clear();
        _shutdown.Dispose();
    }

    private CampaignDriver Open(CampaignSnapshot snapshot, bool resumed)
    {
        var driver = new CampaignDriver(store, runs, time, logger, snapshot, _shutdown.Token);
        _drivers[driver.CampaignId] = driver;
        driver.Start(resumed);
        return driver;
    }

    private CampaignDriver Driver(string campaignId)
    {
        if (_drivers.TryGetValue(campaignId, out var driver))
        {
            return driver;
        }

        var stored = store.LoadCampaign(campaignId) ?? throw new CampaignNotFoundException(campaignId);
        throw new RunStateException($"Campaign {campaignId} is {stored.Campaign.State} and not driven by this coordinator.");
    }
}
