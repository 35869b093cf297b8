using System.CommandLine;
using Grpc.Core;
using RollbackMesh.Demo.Sandbox;
using RollbackMesh.Cli;
using RollbackMesh.Cli.Commands;
using RollbackMesh.Cli.Output;
using RollbackMesh.V1;

namespace RollbackMesh.Demo;

/// <summary>
/// The demo end to end: the coordinator and 9 agent processes on a sandbox fleet of three K3s clusters (each a first
/// server, another server and an agent), the embedded-etcd rollback planned as a campaign (edge-1 the canary, then
/// edge-2 and edge-3 in parallel), started with the campaign hash, each cluster's cluster-reset approval given visibly,
/// live progress, result.
/// </summary>
internal sealed class DemoRunner(CliOutput output, ParseResult parseResult)
{
    /// <summary>The runbook the demo runs.</summary>
    public const string Runbook = "k3s-rollback-embedded-etcd";

    private const int Clusters = 3;
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan PlanTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs the demo in <paramref name="stateDirectory"/>; returns the exit code (CliExitCodes).</summary>
    public async Task<int> RunAsync(string stateDirectory, bool keep, CancellationToken ct)
    {
        output.Line($"RollbackMesh demo: a K3s embedded-etcd rollback as a campaign over {Clusters} SANDBOX clusters (simulated nodes, stand-in");
        output.Line("k3s/kubectl/systemd; the coordinator is the real program, each agent the real agent in sandbox mode; they talk gRPC on loopback).");
        output.Line();
        await using var host = await SandboxFleetHost.StartAsync(stateDirectory, servers: 2, agents: 1, line => output.Line("  " + line), ct, clusters: Clusters)
            .ConfigureAwait(false);
        await host.WaitForAgentsAsync(ConnectTimeout, ct).ConfigureAwait(false);
        output.Line($"  all {host.Fleet.Nodes.Count} agents connected");
        output.Line();

        using var channel = host.OpenChannel();
        var client = new Operator.OperatorClient(channel);
        var options = new CampaignOptions { Clusters = { host.Fleet.Clusters }, Canary = 1, Parallel = 2, FailureBudget = 1 };
        var plan = await PlanAsync(client, host.Fleet, options, ct).ConfigureAwait(false);
        var planFile = Path.Combine(host.Fleet.StateDirectory, "plan.txt");
        await File.WriteAllTextAsync(planFile, string.Concat(plan.Clusters.Select(c => $"# cluster {c.Cluster}\n{PlanText.Render(c.Plan)}\n")), ct).ConfigureAwait(false);
        output.Line($"Campaign {plan.Runbook}, hash {plan.CampaignHash}: canary {options.Canary}, then at most {options.Parallel} clusters at once; the line stops at {options.FailureBudget} failed cluster");
        foreach (var cluster in plan.Clusters)
        {
            output.Line($"  {(cluster.Canary ? "canary " : $"wave {cluster.Wave}")}  {cluster.Cluster}: {cluster.Nodes} nodes, {cluster.Steps} steps, plan {cluster.PlanHash}");
        }

        output.Line();
        output.Line($"Each cluster's plan (the same documented order in each; {plan.Clusters[0].Cluster}'s shown):");
        output.Line(DemoPlanSummary.Render(plan.Clusters[0].Plan).TrimEnd('\n'));
        output.Line($"  (every cluster's full plan: {planFile})");
        output.Line();

        var start = new StartCampaignRequest { Runbook = Runbook, Options = options, CampaignHash = plan.CampaignHash };
        start.Parameters.Add(host.Fleet.K3sRollbackParameters);
        var campaign = await client.StartCampaignAsync(start, cancellationToken: ct).ResponseAsync.ConfigureAwait(false);
        output.Line($"campaign apply {Runbook} --plan-hash {plan.CampaignHash}: campaign {campaign.CampaignId} started");
        using var stopApprover = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var approver = ApproveGatesAsync(client, campaign.CampaignId, stopApprover.Token);
        var code = await CampaignCommands.WatchAsync(new CommandContext(channel, output, parseResult, ct), campaign.CampaignId, acceptBudget: false, live: false).ConfigureAwait(false);
        await stopApprover.CancelAsync().ConfigureAwait(false);
        await approver.ConfigureAwait(false);

        output.Line();
        output.Line(code == CliExitCodes.Success
            ? $"RESULT: the rollback succeeded on every node of the {Clusters} clusters."
            : "RESULT: the campaign did not succeed (see above and the logs).");
        PrintWhere(host);
        if (keep && code == CliExitCodes.Success)
        {
            output.Line();
            output.Line($"--keep: coordinator and agents keep running. Try: rollbackmesh --coordinator {host.Coordinator} --insecure runs");
            output.Line("Press Ctrl+C to stop them.");
            await Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }

        return code;
    }

    private static async Task<CampaignPlanResponse> PlanAsync(Operator.OperatorClient client, SandboxFleet fleet, CampaignOptions options, CancellationToken ct)
    {
        var request = new PlanCampaignRequest { Runbook = Runbook, Options = options };
        request.Parameters.Add(fleet.K3sRollbackParameters);
        var deadline = DateTime.UtcNow + PlanTimeout;
        while (true)
        {
            try
            {
                return await client.PlanCampaignAsync(request, cancellationToken: ct).ResponseAsync.ConfigureAwait(false);
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.InvalidArgument && DateTime.UtcNow < deadline)
            {
                // Right after connecting, a node may not have said Hello with its cluster yet. Retry briefly.
                await Task.Delay(1000, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Gives each cluster run's approval (the cluster reset overwrites etcd) visibly, as an operator would.</summary>
    private async Task ApproveGatesAsync(Operator.OperatorClient client, string campaignId, CancellationToken ct)
    {
        try
        {
            var approved = new HashSet<string>(StringComparer.Ordinal);
            while (!ct.IsCancellationRequested)
            {
                var campaign = await client.GetCampaignAsync(new GetCampaignRequest { CampaignId = campaignId }, cancellationToken: ct).ResponseAsync.ConfigureAwait(false);
                foreach (var cluster in campaign.Clusters.Where(c => c.RunId.Length > 0 && c.State is RunState.Running or RunState.AwaitingApproval))
                {
                    var run = await client.GetRunAsync(new GetRunRequest { RunId = cluster.RunId }, cancellationToken: ct).ResponseAsync.ConfigureAwait(false);
                    if (run.AwaitingApproval.Length == 0 || !approved.Add(run.RunId + "/" + run.AwaitingApproval))
                    {
                        continue;
                    }

                    var step = run.Steps.FirstOrDefault(s => s.StepId == run.AwaitingApproval);
                    output.Line($"  >>> APPROVAL GATE in {cluster.Cluster}: {step?.Name ?? run.AwaitingApproval} on {step?.Node ?? "?"} is irreversible (overwrites all etcd data);");
                    output.Line($"  >>> a real operator reviews it and runs: rollbackmesh approve {run.RunId} --gate {run.AwaitingApproval}. The demo approves it now.");
                    await client.ApproveAsync(new ApproveRequest { RunId = run.RunId, Gate = run.AwaitingApproval }, cancellationToken: ct).ResponseAsync.ConfigureAwait(false);
                }

                await Task.Delay(300, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private void PrintWhere(SandboxFleetHost host)
    {
        var state = host.Fleet.StateDirectory;
        output.Line($"State:        {state}");
        output.Line($"  coordinator data (SQLite): {host.Fleet.CoordinatorDataDirectory}");
        output.Line($"  node sandboxes:            {Path.Combine(state, "nodes")}/<node> (journal: {StandInContract.JournalPath[1..]}, quarantine: {StandInContract.QuarantinePath[1..]})");
        output.Line($"  stand-in calls:            {Path.Combine(state, "nodes")}/<node>{StandInContract.ToolCallLog}");
        output.Line($"Logs:         {Path.Combine(state, "logs")} (coordinator.log, <node>.log)");
        if (!host.Fleet.RealEtcd)
        {
            output.Line("etcd:         STAND-IN (etcd is not installed; apt-get install -y etcd-server etcd-client to use the real one)");
        }
    }
}
