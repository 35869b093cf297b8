using Microsoft.Extensions.Logging.Abstractions;
using RollbackMesh.Coordinator.Campaigns;
using RollbackMesh.Coordinator.Hosting;
using RollbackMesh.Coordinator.Model;
using RollbackMesh.Coordinator.Operators;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Runbooks;
using RollbackMesh.Coordinator.Tests.Execution.Simulation;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Campaigns;

/// <summary>
/// Clusters c1..cN of one simulated first server each (node cK-first), the real catalogue and planner, the run
/// executor and a campaign executor over the same store. <see cref="RestartAsync"/> drops the coordinator as a crash
/// would and starts a new one over the same file, resuming runs and then campaigns as the process does.
/// </summary>
internal sealed class CampaignFleet : IAsyncDisposable
{
    private CampaignFleet(SimulatedFleet fleet)
    {
        Fleet = fleet;
        Open();
    }

    public SimulatedFleet Fleet { get; }

    public CampaignExecutor Campaigns { get; private set; } = null!;

    public CampaignOperations Operations { get; private set; } = null!;

    public OperatorService Operator { get; private set; } = null!;

    public SimulatedAgent Agent(string cluster) => Fleet[cluster + "-first"];

    /// <param name="behavior">How the first server of a cluster answers its steps (default: at once, ok).</param>
    public static async Task<CampaignFleet> StartAsync(int clusters, Func<string, StepBehavior>? behavior = null, ConcurrencyProbe? probe = null)
    {
        var agents = Enumerable.Range(1, clusters).Select(i => $"c{i}").Select(cluster => new SimulatedAgent(cluster + "-first", "server", "first-server")
        {
            Cluster = cluster, Probe = probe, Behavior = _ => behavior?.Invoke(cluster) ?? StepBehavior.Ok(),
        }).ToList();
        return new CampaignFleet(await SimulatedFleet.StartAsync(agents));
    }

    public static V1.CampaignOptions Options(int canary, int parallel, int budget = 1, params string[] clusters)
    {
        var options = new V1.CampaignOptions { Canary = (uint)canary, Parallel = (uint)parallel, FailureBudget = (uint)budget };
        options.Clusters.Add(clusters.Length == 0 ? ["all"] : clusters);
        return options;
    }

    /// <summary>Plans the noop campaign, then applies it with the reviewed hash.</summary>
    public async Task<V1.CampaignStatus> ApplyAsync(V1.CampaignOptions options, bool approveAfterCanary = false, string who = "alice")
    {
        var plan = await Operations.PlanAsync(new V1.PlanCampaignRequest { Runbook = "noop", Options = options }, who, default);
        return await Operations.StartAsync(new V1.StartCampaignRequest
        {
            Runbook = "noop", Options = options, CampaignHash = plan.CampaignHash, ApproveAfterCanary = approveAfterCanary,
        }, who, default);
    }

    /// <summary>Waits until <paramref name="condition"/> holds on the campaign, or fails the test after 20 s.</summary>
    public async Task<CampaignSnapshot> WaitForAsync(string campaignId, Func<CampaignSnapshot, bool> condition)
    {
        var giveUp = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var snapshot = Campaigns.Get(campaignId);
            if (condition(snapshot))
            {
                return snapshot;
            }

            Assert.True(DateTime.UtcNow < giveUp,
                $"Campaign {campaignId} never reached the expected state; it is {snapshot.Campaign.State}: {snapshot.Campaign.Message} " +
                string.Join(", ", snapshot.Clusters.Select(c => $"{c.Cluster}={c.State}")));
            await Task.Delay(10);
        }
    }

    public Task<CampaignSnapshot> WaitForEndAsync(string campaignId) => WaitForAsync(campaignId, s => s.Campaign.IsFinished);

    public CampaignClusterRecord Cluster(string campaignId, string cluster) => Campaigns.Get(campaignId).Clusters.Single(c => c.Cluster == cluster);

    /// <summary>What the audit log says about the campaign, oldest first.</summary>
    public IReadOnlyList<string> AuditOf(string campaignId) => [.. Fleet.Store.QueryAudit(campaignId, 1000).Select(e => e.What)];

    public async Task RestartAsync()
    {
        await Campaigns.DisposeAsync();
        await Fleet.RestartCoordinatorAsync();
        Open();
        Fleet.Executor.ResumeUnfinished();
        Campaigns.ResumeUnfinished();
    }

    public async ValueTask DisposeAsync()
    {
        await Campaigns.DisposeAsync();
        await Fleet.DisposeAsync();
    }

    private void Open()
    {
        var plans = new CatalogPlanSource(RunbookCatalog.Load(), new RunbookPlanner(), Fleet.Registry);
        Campaigns = new CampaignExecutor(Fleet.Store, Fleet.Executor, TimeProvider.System, NullLogger<CampaignExecutor>.Instance);
        Operations = new CampaignOperations(Fleet.Registry, plans, Campaigns, Fleet.Executor, Fleet.Audit);
        Operator = new OperatorService(Fleet.Registry, plans, Fleet.Executor, Fleet.Audit, Fleet.Options, Campaigns);
    }
}
