using Google.Protobuf;
using Google.Protobuf.Reflection;
using V1 = RollbackMesh.V1;

namespace RollbackMesh.Agent.Sandbox;

/// <summary>
/// Rebases every path argument of a step's action under the sandbox root before the step runner sees it; the runner
/// then validates and confines the rebased paths exactly as on a real node (allowed roots are inside the sandbox).
/// </summary>
internal static class SandboxActionRebaser
{
    // The string fields of actions.proto that hold file system paths. Every other string (units, versions,
    // patterns, node names) passes unchanged.
    private static readonly HashSet<string> PathFields = new(StringComparer.Ordinal)
    {
        "path", "script_path", "artifact_dir", "install_path", "snapshot_path", "database_path", "backup_path",
        "dump_path", "kubeconfig", "manifest_path", "apiconfig_v1", "apiconfig_v3", "source_path", "scripts_dir",
        "chart_path", "values_path", "token_path",
    };

    /// <summary>The default felix.cfg location the action factory falls back to when a step names none.</summary>
    private const string FelixDefault = "/etc/calico/felix.cfg";

    /// <summary>A copy of <paramref name="command"/> whose action's path arguments lie under <paramref name="root"/>.</summary>
    public static V1.StepCommand Rebase(V1.StepCommand command, SandboxRoot root)
    {
        if (command.Action is null || command.Action.KindCase == V1.Action.KindOneofCase.None)
        {
            return command;
        }

        var copy = command.Clone();
        if (copy.Action.KindCase == V1.Action.KindOneofCase.FelixConfig && copy.Action.FelixConfig.Path.Length == 0)
        {
            copy.Action.FelixConfig.Path = FelixDefault;
        }

        var field = V1.Action.Descriptor.Oneofs[0].Accessor.GetCaseFieldDescriptor(copy.Action);
        if (field?.Accessor.GetValue(copy.Action) is IMessage inner)
        {
            RebaseFields(inner, root);
        }

        return copy;
    }

    private static void RebaseFields(IMessage message, SandboxRoot root)
    {
        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            if (field.FieldType == FieldType.String && !field.IsRepeated && !field.IsMap && PathFields.Contains(field.Name)
                && field.Accessor.GetValue(message) is string { Length: > 0 } value)
            {
                field.Accessor.SetValue(message, root.Rebase(value));
            }
        }
    }
}
