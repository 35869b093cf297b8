using RollbackMesh.Coordinator.Execution;
using RollbackMesh.Coordinator.Hosting;
using RollbackMesh.Coordinator.Operators;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Runbooks;
using RollbackMesh.Coordinator.Tests.Execution.Simulation;
using Xunit;
using RollbackMesh.Coordinator.Model;

namespace RollbackMesh.Coordinator.Tests.Operators;

/// <summary>A <c>secret: true</c> parameter given to plan and apply never comes back out; the plan hash still follows it.</summary>
public sealed class OperatorServiceSecretTests : IDisposable
{
    private const string Token = "K10f00d::server:Sup3rS3cretJoinToken";

    private const string Runbook = """
        name: secret-reset
        version: "1"
        procedure: 003_3f800a8f042ff462.txt
        parameters:
          token:
            type: string
            required: true
            secret: true
            pattern: 'K10[0-9a-f]*::server:[A-Za-z0-9]+'
        phases:
          - name: restore
            nodes: first-server
            steps:
              - name: cluster-reset
                action: k3s_cluster_reset
                args: { snapshot_path: /var/lib/rancher/k3s/server/db/snapshots/s1, token: "${token}" }
                source: "k3s server --cluster-reset --cluster-reset-restore-path=<PATH-TO-SNAPSHOT>"
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("rollbackmesh-secret-").FullName;

    private async Task<(SimulatedFleet Fleet, OperatorService Service)> CreateAsync(SimulatedAgent agent)
    {
        File.WriteAllText(Path.Combine(_dir, "secret-reset.yaml"), Runbook);
        var catalog = RunbookCatalog.Load(_dir);
        var fleet = await SimulatedFleet.StartAsync([agent]);
        var plans = new CatalogPlanSource(catalog, new RunbookPlanner(), fleet.Registry);
        return (fleet, new OperatorService(fleet.Registry, plans, fleet.Executor, fleet.Audit, fleet.Options));
    }

    private static V1.PlanRequest PlanRequest(string token, bool dryRun = false)
    {
        var request = new V1.PlanRequest { Runbook = "secret-reset", WithDryRun = dryRun };
        request.Parameters.Add("token", token);
        return request;
    }

    [Fact]
    public async Task PlanAndApply_SecretParameter_NeverInPlanAuditStepErrorsOrRefusals_ButHashFollowsIt()
    {
        // The agent echoes the token in its error, as a tool printing its command line would.
        var received = "";
        var agent = new SimulatedAgent("server1", "first-server")
        {
            Behavior = c => StepBehavior.Fail($"k3s server --token={received = c.Action.K3SClusterReset.Token} exited 1"),
        };
        var (fleet, service) = await CreateAsync(agent);
        await using var _ = fleet;

        var plan = await service.PlanAsync(PlanRequest(Token, dryRun: true), "alice", default);
        var other = await service.PlanAsync(PlanRequest(Token + "x"), "alice", default);
        Assert.NotEqual(plan.Hash, other.Hash);
        Assert.Equal(Plan.SecretMask, plan.Parameters["token"]);

        var start = new V1.StartRunRequest { Runbook = "secret-reset", PlanHash = plan.Hash };
        start.Parameters.Add("token", Token);
        var run = await service.StartRunAsync(start, "alice", default);
        var status = await WaitForEndAsync(service, run.RunId);
        Assert.Equal(Token, received);
        Assert.Equal(V1.RunState.Failed, status.State);

        // Bad input: a wrong secret and a stale hash are refused without echoing the value.
        var bad = await Assert.ThrowsAsync<OperatorException>(() => service.PlanAsync(PlanRequest("not-a-token-" + Token[3..]), "alice", default));
        var stale = new V1.StartRunRequest { Runbook = "secret-reset", PlanHash = other.Hash };
        stale.Parameters.Add("token", Token);
        var staleError = await Assert.ThrowsAsync<OperatorException>(() => service.StartRunAsync(stale, "alice", default));

        var texts = new List<string> { plan.ToString(), other.ToString(), status.ToString(), bad.Message, staleError.Message };
        texts.AddRange(fleet.Audit.Query("", 10_000).Select(e => $"{e.Who} {e.What} {e.RunId} {e.Detail}"));
        texts.AddRange(fleet.Store.ListRuns().Select(r => r.ToString()));
        Assert.Contains(texts, t => t.Contains(Plan.SecretMask, StringComparison.Ordinal));
        Assert.All(texts, t => Assert.DoesNotContain("Sup3rS3cret", t, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PlanResponse_SecretParameter_MaskedInParametersAndSteps()
    {
        var catalog = RunbookCatalog.Load(WriteRunbook());
        Assert.True(catalog.TryGet("secret-reset", out var runbook), string.Join("\n", catalog.Refused));
        Assert.True(runbook.Parameters.Single().Secret);
        var plan = new RunbookPlanner().CreatePlan(runbook, new Dictionary<string, string> { ["token"] = Token },
            [new PlanningNode("server1", ["first-server"], System.Collections.Immutable.ImmutableDictionary<string, string>.Empty)]);

        // What an operator is shown of a plan is its wire form (the CLI prints that); the coordinator has no text renderer.
        var response = OperatorWireMapper.ToWire(plan);

        Assert.DoesNotContain("Sup3rS3cret", response.ToString(), StringComparison.Ordinal);
        Assert.Equal(Plan.SecretMask, response.Parameters["token"]);
    }

    [Fact]
    public void Load_SecretParameterWithADefault_Refused()
    {
        File.WriteAllText(Path.Combine(_dir, "secret-reset.yaml"), Runbook.Replace("required: true", "default: K10ab::server:abc", StringComparison.Ordinal));
        var catalog = RunbookCatalog.Load(_dir);
        Assert.False(catalog.TryGet("secret-reset", out _));
        Assert.Contains(catalog.Refused, e => e.ToString().Contains("is secret, so it cannot have a default", StringComparison.Ordinal));
    }

    private string WriteRunbook()
    {
        File.WriteAllText(Path.Combine(_dir, "secret-reset.yaml"), Runbook);
        return _dir;
    }

    private static async Task<V1.RunStatus> WaitForEndAsync(OperatorService service, string runId)
    {
        for (var i = 0; i < 200; i++)
        {
            var status = service.GetRun(new V1.GetRunRequest { RunId = runId }, "alice");
            if (status.State is not (V1.RunState.Running or V1.RunState.Pending or V1.RunState.Unspecified))
            {
                return status;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"run {runId} did not end");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
