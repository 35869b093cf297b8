using Google.Protobuf;
using RollbackMesh.Protos.Actions;
using V1 = RollbackMesh.V1;

namespace RollbackMesh.Demo.Sandbox;

/// <summary>
/// Rebases every path argument of a step's action under the sandbox root before the step runner sees it; the runner
/// then validates and confines the rebased paths exactly as on a real node (allowed roots are inside the sandbox).
/// The path arguments and their defaults are the ones actions.proto marks (<c>path_argument</c>, <c>default_value</c>).
/// </summary>
internal static class SandboxActionRebaser
{
    /// <summary>A copy of <paramref name="command"/> whose action's path arguments lie under <paramref name="root"/>.</summary>
    public static V1.StepCommand Rebase(V1.StepCommand command, SandboxRoot root)
    {
        if (command.Action is null || command.Action.KindCase == V1.Action.KindOneofCase.None)
        {
            return command;
        }

        var copy = command.Clone();
        RebaseArguments(ActionCatalog.Inner(copy.Action)!, root);
        return copy;
    }

    /// <summary>Rebases the path arguments of one action message in place, a default path included (the node path
    /// the agent would otherwise fall back to).</summary>
    public static void RebaseArguments(IMessage message, SandboxRoot root)
    {
        foreach (var path in ActionDescription.Of(message.Descriptor).Paths)
        {
            path.FillDefault(message);
            if (path.Field.Accessor.GetValue(message) is string { Length: > 0 } value)
            {
                path.Field.Accessor.SetValue(message, root.Rebase(value));
            }
        }
    }
}
