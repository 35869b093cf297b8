using V1 = RollbackMesh.V1;

namespace RollbackMesh.Agent.Actions;

/// <summary>
/// The wire names of the Action oneof's fields. Written out rather than read from V1.Action.Descriptor: building
/// the protobuf descriptors loads the whole reflection layer (hundreds of methods and types) into an agent that
/// otherwise never needs it, which was ~1 MiB of its idle memory. A test keeps this table equal to the descriptor.
/// </summary>
internal static class ActionKindNames
{
    /// <summary>Every action kind, in field-number order.</summary>
    public static IReadOnlyList<string> All { get; } =
        Enum.GetValues<V1.Action.KindOneofCase>().Where(k => k != V1.Action.KindOneofCase.None).Select(Of).ToArray();

    /// <summary>The wire name of <paramref name="kind"/>, "none" for an unset oneof.</summary>
    public static string Of(V1.Action.KindOneofCase kind) => kind switch
    {
        V1.Action.KindOneofCase.None => "none",
        V1.Action.KindOneofCase.FelixConfig => "felix_config",
        V1.Action.KindOneofCase.YumRepoSubstitute => "yum_repo_substitute",
        V1.Action.KindOneofCase.AptSource => "apt_source",
        V1.Action.KindOneofCase.PackageClean => "package_clean",
        V1.Action.KindOneofCase.PackageDowngrade => "package_downgrade",
        V1.Action.KindOneofCase.Service => "service",
        V1.Action.KindOneofCase.K3SKillall => "k3s_killall",
        V1.Action.KindOneofCase.K3SInstallBinary => "k3s_install_binary",
        V1.Action.KindOneofCase.K3SClusterReset => "k3s_cluster_reset",
        V1.Action.KindOneofCase.MoveAside => "move_aside",
        V1.Action.KindOneofCase.SqliteSwap => "sqlite_swap",
        V1.Action.KindOneofCase.PostgresRestore => "postgres_restore",
        V1.Action.KindOneofCase.KubectlNode => "kubectl_node",
        V1.Action.KindOneofCase.KubectlRollout => "kubectl_rollout",
        V1.Action.KindOneofCase.KubectlDeletePod => "kubectl_delete_pod",
        V1.Action.KindOneofCase.CalicoUpgradeAbort => "calico_upgrade_abort",
        V1.Action.KindOneofCase.InstallToolBinary => "install_tool_binary",
        V1.Action.KindOneofCase.HelmRollback => "helm_rollback",
        V1.Action.KindOneofCase.VersionCheck => "version_check",
        V1.Action.KindOneofCase.EtcdSnapshotVerify => "etcd_snapshot_verify",
        V1.Action.KindOneofCase.KubectlApply => "kubectl_apply",
        V1.Action.KindOneofCase.RancherCleanup => "rancher_cleanup",
        V1.Action.KindOneofCase.HelmHistory => "helm_history",
        V1.Action.KindOneofCase.NoOp => "no_op",
        V1.Action.KindOneofCase.WaitNodeReady => "wait_node_ready",
        V1.Action.KindOneofCase.KubectlCreate => "kubectl_create",
        V1.Action.KindOneofCase.KubectlWait => "kubectl_wait",
        V1.Action.KindOneofCase.HelmInstall => "helm_install",
        V1.Action.KindOneofCase.RancherRestore => "rancher_restore",
        V1.Action.KindOneofCase.RancherBackupCheck => "rancher_backup_check",
        V1.Action.KindOneofCase.KubectlNodeCoverage => "kubectl_node_coverage",
        V1.Action.KindOneofCase.K3STokenCheck => "k3s_token_check",
        V1.Action.KindOneofCase.KubectlStrategyCheck => "kubectl_strategy_check",
        _ => "unknown_" + ((int)kind).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
