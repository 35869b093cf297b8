using RollbackMesh.Agent.Actions;
using RollbackMesh.Agent.Tests.Testbeds;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Actions.Kubernetes;

/// <summary>kubectl cannot run here: a stand-in prints kubectl's documented messages and keeps node/pod state in files.</summary>
public sealed class KubectlStandInTests : IDisposable
{
    private readonly AgentHarness _h;
    private readonly string _log;
    private readonly string _state;

    public KubectlStandInTests()
    {
        string? kubectl = null;
        _h = new AgentHarness(o => o with
        {
            Tools = o.Tools with { Kubectl = kubectl = Path.Combine(o.AllowedRoots[0], "bin/kubectl") },
            PollInterval = TimeSpan.FromMilliseconds(50),
        });
        _log = _h.Root["kubectl.log"];
        _state = _h.Root.Dir("kube-state");
        StandIns.Kubectl(kubectl!, _log, _state);
        File.WriteAllText(Path.Combine(_state, "pods"), "calico-node-old Running\n");
    }

    [Fact]
    public async Task Drain_StandInKubectl_DocumentedFlagsAndVerifiedUnschedulable()
    {
        var action = _h.Build(new RollbackMesh.V1.Action { KubectlNode = new KubectlNode { Node = "server-1", Operation = RollbackMesh.V1.KubectlNodeOperation.Drain } });
        Assert.Equal("node/server-1 drained", await action.ExecuteAsync(_h.Context(), default));
        Assert.True(await action.VerifyAsync(_h.Context(), default));
        Assert.Contains($"--kubeconfig={_h.Options.DefaultKubeconfig} drain server-1 --ignore-daemonsets --delete-emptydir-data", StandIns.Calls(_log));
        var uncordon = _h.Build(new RollbackMesh.V1.Action { KubectlNode = new KubectlNode { Node = "server-1", Operation = RollbackMesh.V1.KubectlNodeOperation.Uncordon } });
        Assert.False(await uncordon.IsAlreadyDoneAsync(_h.Context(), default));
        await uncordon.ExecuteAsync(_h.Context(), default);
        Assert.True(await uncordon.IsAlreadyDoneAsync(_h.Context(), default));
    }

    [Fact]
    public async Task Drain_StandInKubectlNodeCordonedByAnEarlierStep_StillEvicts()
    {
        // The K3s runbooks cordon every node before draining any (as kubectl drain N1 N2 N3 does): the drain that
        // follows finds its node unschedulable and must evict all the same, not count as already done.
        var (runner, journal) = _h.Runner();
        using (journal)
        {
            Task<StepResult> Run(string step, RollbackMesh.V1.KubectlNodeOperation operation) => runner.RunAsync(
                new StepCommand { RunId = "run-drain", StepId = step, Action = new RollbackMesh.V1.Action { KubectlNode = new KubectlNode { Node = "agent-1", Operation = operation } } },
                _ => { }, default);

            var cordon = await Run("cordon/server-1/cordon@agent-1", RollbackMesh.V1.KubectlNodeOperation.Cordon);
            var drain = await Run("drain/server-1/drain@agent-1", RollbackMesh.V1.KubectlNodeOperation.Drain);

            Assert.Equal(StepState.Succeeded, cordon.State);
            Assert.True(drain.State == StepState.Succeeded && !drain.AlreadyDone, drain.Error);
            Assert.Equal(
                [$"--kubeconfig={_h.Options.DefaultKubeconfig} cordon agent-1", $"--kubeconfig={_h.Options.DefaultKubeconfig} drain agent-1 --ignore-daemonsets --delete-emptydir-data"],
                StandIns.Calls(_log).Where(c => !c.Contains(" get ", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public async Task RolloutUndo_StandInKubectl_ReportsRolledBack()
    {
        var action = _h.Build(new RollbackMesh.V1.Action { KubectlRollout = new KubectlRollout { Resource = "ds/calico-node", Operation = RolloutOperation.Undo } });
        Assert.Equal("daemonset.apps/calico-node rolled back", await action.ExecuteAsync(_h.Context(), default));
    }

    [Fact]
    public async Task RolloutUndo_StandInSecondAttempt_AlreadyDoneAndTheUpgradeIsNotRolledOutAgain()
    {
        File.WriteAllText(Path.Combine(_state, "revisions"), "1 calico-v3.23\n2 calico-v3.24\n");
        var undo = new RollbackMesh.V1.Action { KubectlRollout = new KubectlRollout { Resource = "ds/calico-node", Operation = RolloutOperation.Undo } };
        Assert.Equal(StepState.Succeeded, (await RunAsync(undo, "step-1")).State);
        Assert.Equal(["2 calico-v3.24", "3 calico-v3.23"], File.ReadAllLines(Path.Combine(_state, "revisions")));

        // A retry or a new run sends the step again under another id, so the journal cannot answer for it.
        var second = await RunAsync(undo, "step-2");

        Assert.Equal(StepState.Skipped, second.State);
        Assert.True(second.AlreadyDone);
        Assert.Equal(["2 calico-v3.24", "3 calico-v3.23"], File.ReadAllLines(Path.Combine(_state, "revisions")));
        Assert.Single(StandIns.Calls(_log), c => c.Contains(" rollout undo ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RolloutUndo_StandInUpgradedAgainAfterAnUndo_UndoesAgain()
    {
        File.WriteAllText(Path.Combine(_state, "revisions"), "1 calico-v3.23\n2 calico-v3.24\n");
        var undo = new RollbackMesh.V1.Action { KubectlRollout = new KubectlRollout { Resource = "ds/calico-node", Operation = RolloutOperation.Undo } };
        await RunAsync(undo, "step-1");
        File.AppendAllText(Path.Combine(_state, "revisions"), "4 calico-v3.25\n");

        var again = await RunAsync(undo, "step-2");

        Assert.Equal(StepState.Succeeded, again.State);
        Assert.Equal(["2 calico-v3.24", "4 calico-v3.25", "5 calico-v3.23"], File.ReadAllLines(Path.Combine(_state, "revisions")));
    }

    private async Task<StepResult> RunAsync(RollbackMesh.V1.Action action, string stepId)
    {
        var (runner, journal) = _h.Runner();
        using (journal)
        {
            return await runner.RunAsync(new StepCommand { RunId = "run-rollout", StepId = stepId, Action = action }, _ => { }, CancellationToken.None);
        }
    }

    [Fact]
    public async Task DeletePod_StandInKubectlReplacementComesUp_WaitsForRunning()
    {
        var action = _h.Build(new RollbackMesh.V1.Action
        {
            KubectlDeletePod = new KubectlDeletePod { Namespace = "kube-system", LabelSelector = "k8s-app=calico-node", Node = "compute-1", WaitForReplacement = true, ReplacementTimeoutSeconds = 10 },
        });
        var summary = await action.ExecuteAsync(_h.Context(), default);
        Assert.Equal("deleted calico-node-old; calico-node-new Running", summary);
        Assert.Contains(StandIns.Calls(_log), c => c.Contains("delete pod -n kube-system -l k8s-app=calico-node --field-selector spec.nodeName=compute-1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WaitNodeReady_StandInKubectlNeverReady_FailsAfterTimeout()
    {
        var action = _h.Build(new RollbackMesh.V1.Action { WaitNodeReady = new WaitNodeReady { Node = "server-1", TimeoutSeconds = 1 } });
        var ex = await Assert.ThrowsAsync<ActionFailedException>(() => action.ExecuteAsync(_h.Context(), default));
        Assert.Contains("not Ready within 1 s", ex.Message, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(_state, "ready"), $"True {DateTime.UtcNow.AddMinutes(1):yyyy-MM-dd'T'HH:mm:ss'Z'} v1.24.4+k3s1\n");
        Assert.StartsWith("node server-1 Ready (Ready=True", await action.ExecuteAsync(_h.Context(), default), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("server-1 --kubeconfig=/etc/shadow")]
    [InlineData("--all")]
    public void Create_NodeNameThatIsAFlag_Refused(string node)
    {
        Assert.Throws<ActionValidationException>(() => _h.Build(new RollbackMesh.V1.Action { KubectlNode = new KubectlNode { Node = node, Operation = RollbackMesh.V1.KubectlNodeOperation.Cordon } }));
    }

    public void Dispose() => _h.Dispose();
}
