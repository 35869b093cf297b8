using System.CommandLine;
using Grpc.Net.Client;
using RollbackMesh.Demo.Sandbox;
using RollbackMesh.Cli;
using RollbackMesh.Cli.Commands;
using RollbackMesh.Cli.Output;
using RollbackMesh.V1;

namespace RollbackMesh.Demo;

/// <summary>
/// The demo end to end: coordinator and 5 agent processes on a sandbox fleet (3 servers, 2 agents), plan of the K3s
/// embedded-etcd rollback, apply with the plan hash, the cluster-reset approval given visibly, live progress, result.
/// </summary>
internal sealed class DemoRunner(CliOutput output, ParseResult parseResult)
{
    /// <summary>The runbook the demo runs.</summary>
    public const string Runbook = "k3s-rollback-embedded-etcd";

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan PreflightTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs the demo in <paramref name="stateDirectory"/>; returns the exit code (CliExitCodes).</summary>
    public async Task<int> RunAsync(string stateDirectory, bool keep, CancellationToken ct)
    {
        output.Line("RollbackMesh demo: a K3s embedded-etcd rollback on a 5-node SANDBOX fleet (simulated nodes, stand-in k3s/kubectl/systemd;");
        output.Line("the coordinator is the real program, each agent the real agent in sandbox mode; they talk gRPC on loopback).");
        output.Line();
        await using var host = await SandboxFleetHost.StartAsync(stateDirectory, servers: 3, agents: 2, line => output.Line("  " + line), ct).ConfigureAwait(false);
        await host.WaitForAgentsAsync(ConnectTimeout, ct).ConfigureAwait(false);
        output.Line("  all 5 agents connected");
        output.Line();

        using var channel = host.OpenChannel();
        var plan = await PlanAsync(channel, host.Fleet, ct).ConfigureAwait(false);
        var planFile = Path.Combine(host.Fleet.StateDirectory, "plan.txt");
        await File.WriteAllTextAsync(planFile, PlanText.Render(plan), ct).ConfigureAwait(false);
        output.Line(DemoPlanSummary.Render(plan).TrimEnd('\n'));
        output.Line($"  (the full plan with every agent's dry run: {planFile})");
        output.Line();
        if (!plan.PreflightOk)
        {
            output.Error("preflight failed; nothing was changed. Logs: " + Path.Combine(host.Fleet.StateDirectory, "logs"));
            return CliExitCodes.Failed;
        }

        var start = new StartRunRequest { Runbook = Runbook, PlanHash = plan.Hash };
        start.Parameters.Add(host.Fleet.K3sRollbackParameters);
        var run = await new Operator.OperatorClient(channel).StartRunAsync(start, cancellationToken: ct).ResponseAsync.ConfigureAwait(false);
        output.Line($"apply {Runbook} --plan-hash {plan.Hash}: run {run.RunId} started");
        using var stopApprover = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var approver = ApproveGatesAsync(channel, run.RunId, stopApprover.Token);
        var code = await RunWatcher.WatchAsync(new CommandContext(channel, output, parseResult, ct), run.RunId, acceptBudget: false).ConfigureAwait(false);
        await stopApprover.CancelAsync().ConfigureAwait(false);
        await approver.ConfigureAwait(false);

        output.Line();
        output.Line(code == CliExitCodes.Success ? "RESULT: the rollback succeeded on every node." : "RESULT: the run did not succeed (see above and the logs).");
        PrintWhere(host);
        if (keep && code == CliExitCodes.Success)
        {
            output.Line();
            output.Line($"--keep: coordinator and agents keep running. Try: rollbackmesh --coordinator {host.Coordinator} --insecure history {run.RunId}");
            output.Line("Press Ctrl+C to stop them.");
            await Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }

        return code;
    }

    private async Task<PlanResponse> PlanAsync(GrpcChannel channel, SandboxFleet fleet, CancellationToken ct)
    {
        var request = new PlanRequest { Runbook = Runbook, WithDryRun = true };
        request.Parameters.Add(fleet.K3sRollbackParameters);
        var deadline = DateTime.UtcNow + PreflightTimeout;
        while (true)
        {
            // Right after connecting, a node may not have sent its first health report: preflight then says so. Retry briefly.
            var plan = await new Operator.OperatorClient(channel).PlanAsync(request, cancellationToken: ct).ResponseAsync.ConfigureAwait(false);
            if (plan.PreflightOk || DateTime.UtcNow > deadline)
            {
                return plan;
            }

            await Task.Delay(1000, ct).ConfigureAwait(false);
        }
    }

    private async Task ApproveGatesAsync(GrpcChannel channel, string runId, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var status = await new Operator.OperatorClient(channel).GetRunAsync(new GetRunRequest { RunId = runId }, cancellationToken: ct).ResponseAsync.ConfigureAwait(false);
                if (status.AwaitingApproval.Length > 0)
                {
                    var step = status.Steps.FirstOrDefault(s => s.StepId == status.AwaitingApproval);
                    output.Line();
                    output.Line($"  >>> APPROVAL GATE: {step?.Name ?? status.AwaitingApproval} on {step?.Node ?? "?"} is irreversible (overwrites all etcd data).");
                    output.Line("  >>> A real operator would review it and run: rollbackmesh approve " + runId + " --gate " + status.AwaitingApproval);
                    output.Line("  >>> The demo approves it automatically now.");
                    output.Line();
                    await new Operator.OperatorClient(channel).ApproveAsync(new ApproveRequest { RunId = runId, Gate = status.AwaitingApproval }, cancellationToken: ct).ResponseAsync.ConfigureAwait(false);
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
