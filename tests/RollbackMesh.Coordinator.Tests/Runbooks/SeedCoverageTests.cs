using RollbackMesh.Coordinator.Runbooks;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Runbooks;

/// <summary>
/// Every documented step keyword of each procedure (seed) is implemented by a step of the expected action kind in a
/// runbook naming that seed, or listed under that runbook's <c>unmapped:</c> with a reason.
/// </summary>
public sealed class SeedCoverageTests
{
    private const string CalicoK8s = "000_dd982901ead42ab9.txt";
    private const string CalicoOpenStack = "001_935b952dc9e5e78c.txt";
    private const string CalicoUpgrade = "002_2ec73071f923661c.txt";
    private const string K3s = "003_3f800a8f042ff462.txt";
    private const string Rancher = "004_47703b6f8728d57e.txt";
    private const string Unmapped = "unmapped";

    private static readonly RunbookCatalog Catalog = RunbookCatalog.Load();

    public static TheoryData<string, string, string> Keywords() => new()
    {
        { CalicoK8s, "install the previous calicoctl", "install_tool_binary" },
        { CalicoK8s, "calico-upgrade abort", "calico_upgrade_abort" },
        { CalicoK8s, "rollout undo ds/calico-node", "kubectl_rollout" },
        { CalicoK8s, "rollout undo deployment/calico-kube-controllers", "kubectl_rollout" },
        { CalicoK8s, "rollout status deployment/calico-kube-controllers", "kubectl_rollout" },
        { CalicoK8s, "rollout status ds/calico-node", "kubectl_rollout" },
        { CalicoK8s, "delete the previously migrated", Unmapped },
        { CalicoOpenStack, "install the previous calicoctl", "install_tool_binary" },
        { CalicoOpenStack, "sed -i 's/calico-3.1/calico-2.6/g'", "yum_repo_substitute" },
        { CalicoOpenStack, "yum clean all", "package_clean" },
        { CalicoOpenStack, "yum downgrade calico-common calico-control networking-calico", "package_downgrade" },
        { CalicoOpenStack, "restart neutron-server", "service" },
        { CalicoOpenStack, "DatastoreType = etcdv3", "felix_config" },
        { CalicoOpenStack, "EtcdEndpoints", "felix_config" },
        { CalicoOpenStack, "yum downgrade calico-common calico-compute calico-dhcp-agent calico-felix dnsmasq networking-calico", "package_downgrade" },
        { CalicoOpenStack, "calico-felix --version", "version_check" },
        { CalicoOpenStack, "rm /etc/apt/sources.list.d/project-calico-calico-3_1-trusty.list", "apt_source" },
        { CalicoOpenStack, "apt-cache madison", "package_downgrade" },
        { CalicoOpenStack, "apt-get install --reinstall", "package_downgrade" },
        { CalicoOpenStack, "service neutron-server restart", "service" },
        { CalicoOpenStack, "apt-get update", "package_clean" },
        { CalicoOpenStack, "delete the previously migrated etcd data", Unmapped },
        { CalicoUpgrade, "kubectl apply -f policy-controller.yaml", "kubectl_apply" },
        { CalicoUpgrade, ".spec.strategy.type==Recreate", "kubectl_strategy_check" },
        { CalicoUpgrade, "must be updated manually", "kubectl_strategy_check" },
        { CalicoUpgrade, "kubectl scale rs", Unmapped },
        { CalicoUpgrade, "kubectl apply -f calico-node.yaml", "kubectl_apply" },
        { CalicoUpgrade, "kubectl cordon", "kubectl_node" },
        { CalicoUpgrade, "kubectl delete pod -n kube-system calico-node", "kubectl_delete_pod" },
        { CalicoUpgrade, "90 seconds", "kubectl_delete_pod" },
        { CalicoUpgrade, "kubectl uncordon", "kubectl_node" },
        { CalicoUpgrade, "pre-fetch", Unmapped },
        { CalicoUpgrade, "ConfigMap", Unmapped },
        { CalicoUpgrade, "/opt/cni/bin", Unmapped },
        { CalicoUpgrade, "v1 NetworkPolicy semantics", Unmapped },
        { CalicoUpgrade, "migrate your Calico configuration data", Unmapped },
        { CalicoUpgrade, "etcdctl migrate", Unmapped },
        { K3s, "replace the .db file", "sqlite_swap" },
        { K3s, "kubectl drain --ignore-daemonsets --delete-emptydir-data", "kubectl_node" },
        { K3s, "k3s-killall.sh", "k3s_killall" },
        { K3s, "INSTALL_K3S_SKIP_START=true", "k3s_install_binary" },
        { K3s, "INSTALL_K3S_EXEC=agent", "k3s_install_binary" },
        { K3s, "curl -sfL https://get.k3s.io", Unmapped },
        { K3s, "--cluster-reset-restore-path", "k3s_cluster_reset" },
        { K3s, "Verify the snapshot's integrity", "etcd_snapshot_verify" },
        { K3s, "Start the K3s service on the first server node", "service" },
        { K3s, "rm -rf /var/lib/rancher/k3s/server/db", "move_aside" },
        { K3s, "Start the K3s service on the other server nodes", "service" },
        { K3s, "Start the K3s service on all agent nodes", "service" },
        { K3s, "pg_restore", "postgres_restore" },
        { K3s, "systemctl status k3s", Unmapped },
        { K3s, "k3s --version", "version_check" },
        { K3s, "kubectl get nodes", "wait_node_ready" },
        { K3s, "Application functionality", Unmapped },
        { K3s, "K3s logs", Unmapped },
        { K3s, "reapply any custom configurations", Unmapped },
        { Rancher, "verify.sh", "rancher_cleanup" },
        { Rancher, "cleanup.sh", "rancher_cleanup" },
        { Rancher, "rancher-backup Helm chart", "helm_install" },
        { Rancher, "Omit Step 3", Unmapped },
        { Rancher, "install the Rancher v2.6.x version", "helm_install" },
        { Rancher, "backupFilename on the backup storage", "rancher_backup_check" },
        { Rancher, "kubectl create -f restore.yaml", "rancher_restore" },
        { Rancher, "backupFilename", "rancher_restore" },
        { Rancher, "encryptionConfigSecretName", "rancher_restore" },
        { Rancher, "storageLocation", "rancher_restore" },
        { Rancher, "unavailable until the restore is complete", "kubectl_wait" },
        { Rancher, "CRDs, cluster-scoped then namespaced", "kubectl_wait" },
        { Rancher, "scale it back up once the restore completes", "kubectl_rollout" },
        { Rancher, "kubectl logs -n cattle-resources-system", Unmapped },
        { Rancher, "helm history rancher -n cattle-system", "helm_history" },
        { Rancher, "helm rollback rancher [REVISION] -n cattle-system", "helm_rollback" },
        { Rancher, "started with the lower/previous version", "helm_rollback" },
        { Rancher, "v2.2-v2.4", Unmapped },
        { Rancher, "Docker", Unmapped },
    };

    [Theory]
    [MemberData(nameof(Keywords))]
    public void BuiltIns_DocumentedKeyword_IsCoveredByStepOrUnmappedReason(string seed, string keyword, string kind)
    {
        var runbooks = Catalog.All.Where(r => r.Procedure == seed).ToList();
        Assert.NotEmpty(runbooks);

        if (kind == Unmapped)
        {
            Assert.Contains(runbooks.SelectMany(r => r.Unmapped), u => u.Step.Contains(keyword, StringComparison.OrdinalIgnoreCase) && u.Reason.Length >= 20);
        }
        else
        {
            var steps = runbooks.SelectMany(r => r.Preflight.Concat(r.Phases.SelectMany(p => p.Steps)));
            Assert.Contains(steps, s => s.Kind == kind && s.Source.Contains(keyword, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public void BuiltIns_EveryRunbookNamesAnIndexedSeedAndEveryStepSaysWhatItImplements()
    {
        string[] seeds = [CalicoK8s, CalicoOpenStack, CalicoUpgrade, K3s, Rancher];

        Assert.Equal(11, Catalog.All.Count());
        Assert.All(Catalog.All, r => Assert.Contains(r.Procedure, seeds));
        Assert.All(seeds, seed => Assert.Contains(Catalog.All, r => r.Procedure == seed && r.Name != "noop"));
        Assert.All(Catalog.All.SelectMany(r => r.Phases.SelectMany(p => p.Steps).Concat(r.Preflight)), s => Assert.False(string.IsNullOrWhiteSpace(s.Source), s.Name));
    }

    [Fact]
    public void BuiltIns_ClusterWideKubectlAndHelmSteps_RunOnOneServerNode()
    {
        string[] clusterWide = ["kubectl_node", "kubectl_rollout", "kubectl_delete_pod", "kubectl_apply", "kubectl_create", "kubectl_wait", "helm_rollback", "helm_history", "helm_install", "calico_upgrade_abort", "rancher_cleanup", "rancher_restore"];

        var phases = Catalog.All.SelectMany(r => r.Phases).Where(p => p.Steps.Any(s => clusterWide.Contains(s.Kind)));

        Assert.All(phases, p => Assert.Equal(NodeSelector.FirstServer, p.Selector));
    }

    [Fact]
    public void BuiltIns_KubectlVerb_IsTheOneTheSourceQuotes()
    {
        var steps = Catalog.All.SelectMany(r => r.Phases.SelectMany(p => p.Steps)).ToList();

        // apply of an object that exists is "unchanged" and passes; the Rancher procedure says create, which fails
        // (rancher_restore creates the Restore it builds with kubectl create).
        Assert.All(steps.Where(s => s.Source.Contains("kubectl create", StringComparison.Ordinal)), s => Assert.Contains(s.Kind, new[] { "kubectl_create", "rancher_restore" }));
        Assert.All(steps.Where(s => s.Source.Contains("kubectl apply", StringComparison.Ordinal)), s => Assert.Equal("kubectl_apply", s.Kind));
        Assert.Contains(steps, s => s.Kind is "kubectl_create" or "rancher_restore");
        Assert.Contains(steps, s => s.Kind == "kubectl_apply");
    }

    [Fact]
    public void BuiltIns_IrreversibleSteps_AllRequireApproval()
    {
        var irreversible = Catalog.All.SelectMany(r => r.Phases.SelectMany(p => p.Steps)).Where(s => s.Irreversible).ToList();

        Assert.Contains(irreversible, s => s.Kind == "k3s_cluster_reset");
        Assert.All(irreversible, s => Assert.True(s.RequiresApproval, s.Name));
        Assert.True(ActionKinds.IsReadOnly("etcd_snapshot_verify"));
    }
}
