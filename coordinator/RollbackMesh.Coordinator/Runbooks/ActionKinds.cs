using System.Collections.Frozen;
using Google.Protobuf.Reflection;

namespace RollbackMesh.Coordinator.Runbooks;

/// <summary>
/// The step kinds a runbook may use: exactly the cases of the <c>Action.kind</c> oneof, read from the generated
/// descriptor so a new action in actions.proto is usable without touching this file. What the proto cannot say
/// (which arguments are required, which kinds only read) is kept here, next to it.
/// </summary>
internal static class ActionKinds
{
    private static readonly FrozenDictionary<string, FieldDescriptor> Cases =
        V1.Action.Descriptor.Oneofs.Single(o => o.Name == "kind").Fields
            .ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);

    // Arguments without a documented default in actions.proto: a step missing one of them cannot run.
    private static readonly FrozenDictionary<string, string[]> RequiredArguments = new Dictionary<string, string[]>
    {
        ["felix_config"] = ["path"],
        ["yum_repo_substitute"] = ["path", "from", "to"],
        ["apt_source"] = ["path"],
        ["package_clean"] = ["manager"],
        ["package_downgrade"] = ["manager", "packages"],
        ["service"] = ["unit", "operation"],
        ["k3s_install_binary"] = ["artifact_dir", "version"],
        ["k3s_cluster_reset"] = ["snapshot_path"],
        ["etcd_snapshot_verify"] = ["snapshot_path"],
        ["move_aside"] = ["path"],
        ["sqlite_swap"] = ["database_path", "backup_path"],
        ["postgres_restore"] = ["dump_path", "connection"],
        ["kubectl_node"] = ["node", "operation"],
        ["kubectl_rollout"] = ["resource", "namespace", "operation"],
        ["kubectl_delete_pod"] = ["namespace", "label_selector", "node"],
        ["kubectl_apply"] = ["manifest_path"],
        ["kubectl_create"] = ["manifest_path"],
        ["kubectl_wait"] = ["resource", "condition", "timeout_seconds"],
        ["kubectl_strategy_check"] = ["resource", "namespace", "expected"],
        ["install_tool_binary"] = ["source_path", "sha256", "install_path"],
        ["helm_history"] = ["release", "namespace"],
        ["helm_rollback"] = ["release", "namespace"],
        ["helm_install"] = ["release", "namespace", "chart_path"],
        ["rancher_restore"] = ["name", "backup_filename"],
        ["rancher_backup_check"] = ["backup_filename"],
        ["rancher_cleanup"] = ["scripts_dir"],
        ["version_check"] = ["tool", "expected_pattern"],
        ["wait_node_ready"] = ["node"],
        ["kubectl_node_coverage"] = ["enrolled"],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    // Kinds that only observe. Preflight may use only these, and the ordering invariants ignore them.
    private static readonly FrozenSet<string> ReadOnly =
        new[] { "version_check", "wait_node_ready", "etcd_snapshot_verify", "helm_history", "kubectl_wait", "rancher_backup_check", "kubectl_node_coverage", "k3s_token_check", "kubectl_strategy_check" }
            .ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Every kind name, sorted, for error messages.</summary>
    public static IEnumerable<string> Names => Cases.Keys.Order(StringComparer.Ordinal);

    public static bool TryGet(string kind, out FieldDescriptor field) => Cases.TryGetValue(kind, out field!);

    public static FieldDescriptor Get(string kind) => Cases[kind];

    public static IReadOnlyList<string> Required(string kind) =>
        RequiredArguments.TryGetValue(kind, out var required) ? required : [];

    public static bool IsReadOnly(string kind) => ReadOnly.Contains(kind);

    /// <summary>The YAML spelling of an enum value: the value name without the enum's prefix, lower case
    /// (<c>SERVICE_OPERATION_START</c> is <c>start</c>). The <c>_UNSPECIFIED</c> value is not offered.</summary>
    public static IReadOnlyDictionary<string, int> EnumSpellings(EnumDescriptor type)
    {
        var unspecified = type.Values.Single(v => v.Number == 0).Name;
        var prefix = unspecified[..(unspecified.Length - "UNSPECIFIED".Length)];
        return type.Values.Where(v => v.Number != 0)
            .ToDictionary(v => v.Name[prefix.Length..].ToLowerInvariant(), v => v.Number, StringComparer.Ordinal);
    }
}
