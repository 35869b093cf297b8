using System.Collections.Immutable;

namespace RollbackMesh.Coordinator.Tests.Planning;

/// <summary>Valid parameter values for every built-in runbook.</summary>
internal static class BuiltInParameters
{
    private const string Sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    public static readonly ImmutableSortedDictionary<string, ImmutableDictionary<string, string>> ByRunbook =
        new Dictionary<string, ImmutableDictionary<string, string>>
        {
            ["noop"] = Of(),
            ["k3s-rollback-embedded-etcd"] = Of(("k3s_version", "v1.28.5+k3s1"), ("snapshot_path", "/var/lib/rancher/k3s/server/db/snapshots/pre-upgrade")),
            ["k3s-rollback-sqlite"] = Of(("k3s_version", "v1.28.5+k3s1"), ("backup_path", "/var/backups/state.db")),
            ["k3s-rollback-external-db"] = Of(("k3s_version", "v1.28.5+k3s1"), ("dump_path", "/var/backups/k3s.dump"), ("connection", "host=db dbname=k3s user=k3s")),
            ["calico-downgrade-k8s-etcd"] = Of(("calicoctl_source", "/var/lib/rollbackmesh/artifacts/calicoctl"), ("calicoctl_sha256", Sha)),
            ["calico-downgrade-k8s-kdd"] = Of(),
            ["calico-downgrade-openstack-centos"] = Of(("calicoctl_source", "/var/lib/rollbackmesh/artifacts/calicoctl"), ("calicoctl_sha256", Sha)),
            ["calico-downgrade-openstack-ubuntu"] = Of(("calicoctl_source", "/var/lib/rollbackmesh/artifacts/calicoctl"), ("calicoctl_sha256", Sha)),
            ["calico-upgrade-k8s"] = Of(("policy_controller_manifest", "/srv/policy-controller.yaml"), ("calico_node_manifest", "/srv/calico-node.yaml")),
            ["rancher-rollback-helm"] = Of(),
            ["rancher-rollback-restore"] = Of(("rollback_from_v2_6_4_or_later", "true"), ("backup_filename", "backup-b0450532-cee1-4aa1-a881-f5f48a007b1c-2020-09-15T07-27-09Z.tar.gz")),
        }.ToImmutableSortedDictionary(StringComparer.Ordinal);

    public static bool IsOpenStack(string runbook) => runbook.Contains("openstack", StringComparison.Ordinal);

    private static ImmutableDictionary<string, string> Of(params (string Key, string Value)[] pairs) =>
        pairs.ToImmutableDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
}
