using System.Collections.Immutable;
using RollbackMesh.Coordinator.Planning;
using RollbackMesh.Coordinator.Runbooks;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Planning;

public sealed class RunbookPlannerOrderingTests
{
    private static readonly RunbookCatalog Catalog = RunbookCatalog.Load();
    private static readonly (int Servers, int Agents)[] K3sShapes = [(1, 0), (1, 3), (3, 0), (3, 5), (5, 40)];
    private static readonly (int Control, int Compute)[] OpenStackShapes = [(1, 1), (1, 12), (3, 30)];

    public static TheoryData<string, int, int> Cases()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var runbook in BuiltInParameters.ByRunbook.Keys)
        {
            var shapes = BuiltInParameters.IsOpenStack(runbook) ? OpenStackShapes : K3sShapes;
            foreach (var (a, b) in shapes)
            {
                data.Add(runbook, a, b);
            }
        }

        return data;
    }

    [Fact]
    public void Cases_CoverEveryBuiltIn()
    {
        Assert.Equal(Catalog.All.Select(r => r.Name).Order(StringComparer.Ordinal), BuiltInParameters.ByRunbook.Keys);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void CreatePlan_BuiltInOnFleetShape_KeepsDocumentedOrder(string runbook, int first, int second)
    {
        var openStack = BuiltInParameters.IsOpenStack(runbook);
        var fleet = openStack ? TestFleets.OpenStack(first, second) : TestFleets.K3s(first, second);

        var plan = new RunbookPlanner().CreatePlan(Catalog.Get(runbook), BuiltInParameters.ByRunbook[runbook], fleet);

        Assert.NotEmpty(plan.AllSteps);
        Assert.Equal(plan.AllSteps.Count(), plan.AllSteps.Select(s => s.StepId).Distinct().Count());
        PlanAssert.CordonEveryDrainedNodeBeforeEvicting(plan);
        if (openStack)
        {
            PlanAssert.TierBeforeTierInEveryPhase(plan, n => n.StartsWith("control", StringComparison.Ordinal), n => n.StartsWith("compute", StringComparison.Ordinal));
            AssertControlPhasesBeforeComputePhases(plan);
        }
        else
        {
            var others = fleet.Where(n => n.Name.StartsWith("server", StringComparison.Ordinal) && n.Name != "server-1").Select(n => n.Name).ToHashSet();
            PlanAssert.FirstServerAloneAndFirst(plan, "server-1", others);
            PlanAssert.TierBeforeTierInEveryPhase(plan, n => n.StartsWith("server", StringComparison.Ordinal), n => n.StartsWith("agent", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void CreatePlan_EmbeddedEtcd_FollowsDocumentedSequence()
    {
        var plan = new RunbookPlanner().CreatePlan(
            Catalog.Get("k3s-rollback-embedded-etcd"), BuiltInParameters.ByRunbook["k3s-rollback-embedded-etcd"], TestFleets.K3s(3, 2));
        var steps = plan.AllSteps.ToList();
        int Index(Func<PlanStep, bool> match) => steps.FindIndex(s => match(s));
        int LastIndex(Func<PlanStep, bool> match) => steps.FindLastIndex(s => match(s));
        bool Kind(PlanStep s, string kind) => ActionText.KindName(s.Action) == kind;

        var reset = Assert.Single(steps, s => Kind(s, "k3s_cluster_reset"));
        Assert.Equal("server-1", reset.Node);
        Assert.True(reset.Irreversible && reset.RequiresApproval);
        Assert.Contains(plan.Preflight, s => s.Node == "server-1" && Kind(s, "etcd_snapshot_verify"));
        Assert.Equal(10, steps.Count(s => Kind(s, "kubectl_node") && s.Node == "server-1"));
        Assert.True(LastIndex(s => Kind(s, "kubectl_node")) < Index(s => Kind(s, "k3s_killall")));
        Assert.True(LastIndex(s => Kind(s, "k3s_killall")) < Index(s => Kind(s, "k3s_install_binary")));
        Assert.All(steps.Where(s => Kind(s, "k3s_install_binary")), s => Assert.True(s.Action.K3SInstallBinary.SkipStart));
        Assert.True(LastIndex(s => Kind(s, "k3s_install_binary")) < steps.IndexOf(reset));
        var firstStart = Index(s => Kind(s, "service") && s.Node == "server-1");
        Assert.True(steps.IndexOf(reset) < firstStart);
        Assert.Equal(["server-2", "server-3"], steps.Where(s => Kind(s, "move_aside")).Select(s => s.Node));
        Assert.True(firstStart < Index(s => Kind(s, "move_aside")));
        Assert.True(LastIndex(s => Kind(s, "service") && s.Node.StartsWith("server", StringComparison.Ordinal)) < Index(s => Kind(s, "service") && s.Node.StartsWith("agent", StringComparison.Ordinal)));
        Assert.Equal("k3s-agent", steps.First(s => Kind(s, "service") && s.Node == "agent-1").Action.Service.Unit);
        Assert.Equal(@"v1\.28\.5\+k3s1", steps.Last(s => Kind(s, "version_check")).Action.VersionCheck.ExpectedPattern);
    }

    [Theory]
    [InlineData("k3s-rollback-embedded-etcd")]
    [InlineData("k3s-rollback-external-db")]
    public void CreatePlan_K3sDrain_CordonsEveryNodeThenDrainsEveryNode(string runbook)
    {
        var plan = new RunbookPlanner().CreatePlan(Catalog.Get(runbook), BuiltInParameters.ByRunbook[runbook], TestFleets.K3s(2, 1));

        // kubectl drain server-1 server-2 agent-1: all three cordoned, then each evicted.
        var kubectl = plan.AllSteps.Where(s => ActionText.KindName(s.Action) == "kubectl_node")
            .Select(s => $"{s.Action.KubectlNode.Operation.ToString().ToLowerInvariant()} {s.Action.KubectlNode.Node}");
        Assert.Equal(
            ["cordon server-1", "cordon server-2", "cordon agent-1", "drain server-1", "drain server-2", "drain agent-1"],
            kubectl);
        Assert.All(plan.AllSteps.Where(s => ActionText.KindName(s.Action) == "kubectl_node"), s => Assert.Equal("server-1", s.Node));
    }

    [Fact]
    public void CreatePlan_K3sSqlite_CordonsEveryNodeThenDrainsEveryNodeBeforeKillall()
    {
        var plan = new RunbookPlanner().CreatePlan(Catalog.Get("k3s-rollback-sqlite"), BuiltInParameters.ByRunbook["k3s-rollback-sqlite"], TestFleets.K3s(1, 2));
        var steps = plan.AllSteps.ToList();

        var kubectl = steps.Where(s => ActionText.KindName(s.Action) == "kubectl_node")
            .Select(s => $"{s.Action.KubectlNode.Operation.ToString().ToLowerInvariant()} {s.Action.KubectlNode.Node}");
        Assert.Equal(["cordon server-1", "cordon agent-1", "cordon agent-2", "drain server-1", "drain agent-1", "drain agent-2"], kubectl);
        Assert.True(steps.FindLastIndex(s => ActionText.KindName(s.Action) == "kubectl_node")
            < steps.FindIndex(s => ActionText.KindName(s.Action) == "k3s_killall"));

        var undrained = new RunbookPlanner().CreatePlan(
            Catalog.Get("k3s-rollback-sqlite"), BuiltInParameters.ByRunbook["k3s-rollback-sqlite"].SetItem("drain", "false"), TestFleets.K3s(1, 2));
        Assert.DoesNotContain(undrained.AllSteps, s => ActionText.KindName(s.Action) == "kubectl_node");
    }

    [Theory]
    [InlineData("calico-downgrade-openstack-centos")]
    [InlineData("calico-downgrade-openstack-ubuntu")]
    public void CreatePlan_OpenStackPins_DocumentVersionsReachTheControlAndComputeDowngrades(string runbook)
    {
        var parameters = BuiltInParameters.ByRunbook[runbook]
            .SetItem("control_pins", "calico-control=1:1.1.2, calico-common=2.6.5")
            .SetItem("compute_pins", "calico-felix=2.6.5");

        var plan = new RunbookPlanner().CreatePlan(Catalog.Get(runbook), parameters, TestFleets.OpenStack(1, 1));

        var downgrades = plan.AllSteps.Where(s => ActionText.KindName(s.Action) == "package_downgrade").ToList();
        Assert.Equal(["calico-control=1:1.1.2", "calico-common=2.6.5"], downgrades.Single(s => s.Node == "control-1").Action.PackageDowngrade.Pins);
        Assert.Equal(["calico-felix=2.6.5"], downgrades.Single(s => s.Node == "compute-1").Action.PackageDowngrade.Pins);
        Assert.Empty(new RunbookPlanner().CreatePlan(Catalog.Get(runbook), BuiltInParameters.ByRunbook[runbook], TestFleets.OpenStack(1, 1))
            .AllSteps.Where(s => ActionText.KindName(s.Action) == "package_downgrade").SelectMany(s => s.Action.PackageDowngrade.Pins));
    }

    [Fact]
    public void CreatePlan_OpenStackPinWithShellText_RefusedByTheParameterPattern()
    {
        var parameters = BuiltInParameters.ByRunbook["calico-downgrade-openstack-centos"].SetItem("control_pins", "calico-control=1:1.1.2; rm -rf /");
        Assert.ThrowsAny<Exception>(() => new RunbookPlanner().CreatePlan(Catalog.Get("calico-downgrade-openstack-centos"), parameters, TestFleets.OpenStack(1, 1)));
    }

    [Fact]
    public void CreatePlan_K3sDrainDisabled_NeitherCordonsNorDrains()
    {
        var parameters = BuiltInParameters.ByRunbook["k3s-rollback-embedded-etcd"].SetItem("drain", "false");

        var plan = new RunbookPlanner().CreatePlan(Catalog.Get("k3s-rollback-embedded-etcd"), parameters, TestFleets.K3s(2, 1));

        Assert.DoesNotContain(plan.AllSteps, s => ActionText.KindName(s.Action) == "kubectl_node");
    }

    [Fact]
    public void CreatePlan_RancherRestoreFromV264_CleanupReinstallsBackupChartsRestoresThenInstallsPreviousRancherNeverHelmRollback()
    {
        var plan = new RunbookPlanner().CreatePlan(
            Catalog.Get("rancher-rollback-restore"), BuiltInParameters.ByRunbook["rancher-rollback-restore"], TestFleets.K3s(3, 1));
        var steps = plan.AllSteps.ToList();

        Assert.Equal(
            ["rancher_cleanup", "helm_install", "helm_install", "rancher_restore", "kubectl_wait", "helm_install", "kubectl_rollout"],
            steps.Select(s => ActionText.KindName(s.Action)));
        Assert.All(steps, s => Assert.Equal("server-1", s.Node));
        Assert.DoesNotContain(steps, s => ActionText.KindName(s.Action) == "helm_rollback");
        Assert.Equal(("rancher-backup-crd", "cattle-resources-system", true), (steps[1].Action.HelmInstall.Release, steps[1].Action.HelmInstall.Namespace, steps[1].Action.HelmInstall.CreateNamespace));
        Assert.Equal(("rancher-backup", "/var/lib/rollbackmesh-agent/artifacts/rancher/rancher-backup-values.yaml"), (steps[2].Action.HelmInstall.Release, steps[2].Action.HelmInstall.ValuesPath));
        var restore = steps[3].Action.RancherRestore;
        Assert.Equal(("restore-migration", "backup-b0450532-cee1-4aa1-a881-f5f48a007b1c-2020-09-15T07-27-09Z.tar.gz"), (restore.Name, restore.BackupFilename));
        Assert.True(steps[3].Irreversible && steps[3].RequiresApproval);
        var wait = steps[4].Action.KubectlWait;
        Assert.Equal(("restores.resources.cattle.io/restore-migration", "Ready", string.Empty), (wait.Resource, wait.Condition, wait.Namespace));
        Assert.True(TimeSpan.FromSeconds(wait.TimeoutSeconds) < steps[4].Timeout, "kubectl's own timeout must end before the step deadline");
        var rancher = steps[5].Action.HelmInstall;
        Assert.Equal(("rancher", "cattle-system", "/var/lib/rollbackmesh-agent/artifacts/rancher/rancher.tgz", "/var/lib/rollbackmesh-agent/artifacts/rancher/rancher-values.yaml", true),
            (rancher.Release, rancher.Namespace, rancher.ChartPath, rancher.ValuesPath, rancher.CreateNamespace));
        Assert.All(steps.Where(s => s.Action.HelmInstall is not null), s => Assert.True(TimeSpan.FromSeconds(s.Action.HelmInstall.TimeoutSeconds) < s.Timeout));
        Assert.Equal(["helm_history", "rancher_backup_check"], plan.Preflight.Select(s => ActionText.KindName(s.Action)));
    }

    [Fact]
    public void CreatePlan_RancherRestoreFromV25_NoCleanupRestoresWaitsForRancherThenHelmRollback()
    {
        var parameters = BuiltInParameters.ByRunbook["rancher-rollback-restore"].SetItem("rollback_from_v2_6_4_or_later", "false").SetItem("revision", "3");

        var plan = new RunbookPlanner().CreatePlan(Catalog.Get("rancher-rollback-restore"), parameters, TestFleets.K3s(3, 1));

        var steps = plan.AllSteps.ToList();
        Assert.Equal(
            ["rancher_restore", "kubectl_wait", "kubectl_rollout", "helm_rollback", "kubectl_rollout"],
            steps.Select(s => ActionText.KindName(s.Action)));
        Assert.Equal(3u, steps[3].Action.HelmRollback.Revision);
    }

    [Fact]
    public void CreatePlan_RancherRestoreWithS3_RestoreCarriesEveryTypedField()
    {
        var parameters = BuiltInParameters.ByRunbook["rancher-rollback-restore"]
            .SetItem("encryption_config_secret_name", "encryptionconfig").SetItem("s3_bucket_name", "rancher-backups")
            .SetItem("s3_folder", "rancher").SetItem("s3_region", "us-west-2").SetItem("s3_endpoint", "s3.us-west-2.amazonaws.com")
            .SetItem("s3_credential_secret_name", "s3-creds").SetItem("s3_credential_secret_namespace", "default");

        var plan = new RunbookPlanner().CreatePlan(Catalog.Get("rancher-rollback-restore"), parameters, TestFleets.K3s(1, 0));

        var restore = plan.AllSteps.Single(s => s.Action.RancherRestore is not null).Action.RancherRestore;
        Assert.Equal(
            ("encryptionconfig", "rancher-backups", "rancher", "us-west-2", "s3.us-west-2.amazonaws.com", "s3-creds", "default"),
            (restore.EncryptionConfigSecretName, restore.S3BucketName, restore.S3Folder, restore.S3Region, restore.S3Endpoint, restore.S3CredentialSecretName, restore.S3CredentialSecretNamespace));
    }

    [Fact]
    public void CreatePlan_CalicoUpgrade_GoesNodeByNodeThroughFirstServer()
    {
        var plan = new RunbookPlanner().CreatePlan(Catalog.Get("calico-upgrade-k8s"), BuiltInParameters.ByRunbook["calico-upgrade-k8s"], TestFleets.K3s(1, 2));

        var perNode = plan.Phases.Single(p => p.Name == "calico-node-per-node");
        var names = perNode.Waves.Single().Nodes.Single().Steps.Select(s => s.Name);
        Assert.Equal(
            ["cordon@server-1", "replace-calico-node@server-1", "uncordon@server-1", "cordon@agent-1", "replace-calico-node@agent-1", "uncordon@agent-1",
             "cordon@agent-2", "replace-calico-node@agent-2", "uncordon@agent-2"],
            names);
        var replace = perNode.Waves[0].Nodes[0].Steps[1].Action.KubectlDeletePod;
        Assert.Equal((90u, true, "server-1"), (replace.ReplacementTimeoutSeconds, replace.WaitForReplacement, replace.Node));
    }

    [Fact]
    public void CreatePlan_CalicoUpgrade_NeverAsksRolloutStatusOfTheOnDeleteDaemonSet()
    {
        // kubectl rollout status refuses an OnDelete DaemonSet (see RealKubectlStandInApiServerTests), and the
        // node-by-node procedure is the OnDelete one: such a final check could only fail.
        var plan = new RunbookPlanner().CreatePlan(Catalog.Get("calico-upgrade-k8s"), BuiltInParameters.ByRunbook["calico-upgrade-k8s"], TestFleets.K3s(1, 2));

        Assert.DoesNotContain(plan.AllSteps, s => s.Action.KubectlRollout is { Operation: RollbackMesh.V1.RolloutOperation.Status } r && r.Resource.StartsWith("ds/", StringComparison.Ordinal));
    }

    [Fact]
    public void CreatePlan_CalicoUpgrade_PreflightChecksRecreateAndOnDeleteOnFirstServer()
    {
        // The node-by-node procedure is right only for an OnDelete calico-node (RollingUpdate replaces pods on apply),
        // and the document requires a Recreate policy controller: both are read before anything changes.
        var plan = new RunbookPlanner().CreatePlan(Catalog.Get("calico-upgrade-k8s"), BuiltInParameters.ByRunbook["calico-upgrade-k8s"], TestFleets.K3s(1, 2));

        Assert.Equal(
            [("server-1", "deployment/calico-policy-controller", "kube-system", "Recreate"), ("server-1", "ds/calico-node", "kube-system", "OnDelete")],
            plan.Preflight.Where(s => s.Action.KindCase == V1.Action.KindOneofCase.KubectlStrategyCheck)
                .Select(s => (s.Node, s.Action.KubectlStrategyCheck.Resource, s.Action.KubectlStrategyCheck.Namespace, s.Action.KubectlStrategyCheck.Expected)));
        Assert.All(plan.Preflight, s => Assert.True(ActionKinds.IsReadOnly(ActionText.KindName(s.Action))));
    }

    [Fact]
    public void CreatePlan_Noop_SplitsWavesByMaxConcurrency()
    {
        var plan = new RunbookPlanner().CreatePlan(Catalog.Get("noop"), ImmutableDictionary<string, string>.Empty, TestFleets.K3s(3, 250));

        Assert.Equal([1, 1, 3], plan.Phases.Select(p => p.Waves.Length));
        Assert.Equal([100, 100, 50], plan.Phases[2].Waves.Select(w => w.Nodes.Length));
        Assert.Equal("first-server/server-1/noop", plan.Phases[0].Waves[0].Nodes[0].Steps[0].StepId);
    }

    [Fact]
    public void CreatePlan_AllPhaseInParallel_PutsFirstServerAloneThenServersThenAgents()
    {
        var plan = new RunbookPlanner().CreatePlan(
            Catalog.Get("k3s-rollback-embedded-etcd"), BuiltInParameters.ByRunbook["k3s-rollback-embedded-etcd"], TestFleets.K3s(3, 4));

        var stop = plan.Phases.Single(p => p.Name == "stop");
        Assert.Equal([["server-1"], ["server-2", "server-3"], ["agent-1", "agent-2", "agent-3", "agent-4"]], stop.Waves.Select(w => w.Nodes.Select(n => n.Node).ToArray()));
    }

    private static void AssertControlPhasesBeforeComputePhases(Plan plan)
    {
        var changing = plan.Phases.Select(p => p.Waves.SelectMany(w => w.Nodes).Where(n => n.Steps.Any(s => !ActionKinds.IsReadOnly(ActionText.KindName(s.Action)))).Select(n => n.Node).ToList()).ToList();
        var lastControlOnly = changing.FindLastIndex(nodes => nodes.Count > 0 && nodes.All(n => n.StartsWith("control", StringComparison.Ordinal)));
        var firstComputeOnly = changing.FindIndex(nodes => nodes.Count > 0 && nodes.All(n => n.StartsWith("compute", StringComparison.Ordinal)));
        Assert.True(firstComputeOnly > lastControlOnly, $"compute-only phase {firstComputeOnly} is not after control-only phase {lastControlOnly}");
    }

    [Theory]
    [InlineData("k3s-rollback-embedded-etcd")]
    [InlineData("k3s-rollback-external-db")]
    [InlineData("k3s-rollback-sqlite")]
    [InlineData("calico-upgrade-k8s")]
    public void CreatePlan_ClusterRunbook_PreflightChecksCoverageOfEveryEnrolledNodeOnTheFirstServer(string runbook)
    {
        var servers = runbook == "k3s-rollback-sqlite" ? 1 : 2;
        var parameters = new Dictionary<string, string>(BuiltInParameters.ByRunbook[runbook]) { ["exclude_nodes"] = "windows-1, gpu-7" };
        var plan = new RunbookPlanner().CreatePlan(Catalog.Get(runbook), parameters, TestFleets.K3s(servers, 2));

        var coverage = Assert.Single(plan.Preflight, s => s.Action.KubectlNodeCoverage is not null);
        Assert.Equal("server-1", coverage.Node);
        string[] enrolled = servers == 1 ? ["agent-1", "agent-2", "server-1"] : ["agent-1", "agent-2", "server-1", "server-2"];
        Assert.Equal(enrolled, coverage.Action.KubectlNodeCoverage.Enrolled);
        Assert.Equal(["windows-1", "gpu-7"], coverage.Action.KubectlNodeCoverage.Excluded);
        Assert.Equal("/etc/rancher/k3s/k3s.yaml", coverage.Action.KubectlNodeCoverage.Kubeconfig);
    }

    [Fact]
    public void CreatePlan_K3sWithoutExclusions_CoverageExcludesNothing()
    {
        var plan = new RunbookPlanner().CreatePlan(Catalog.Get("k3s-rollback-sqlite"), BuiltInParameters.ByRunbook["k3s-rollback-sqlite"], TestFleets.K3s(1, 1));

        Assert.Empty(Assert.Single(plan.Preflight, s => s.Action.KubectlNodeCoverage is not null).Action.KubectlNodeCoverage.Excluded);
    }
}
