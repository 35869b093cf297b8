using Google.Protobuf;
using RollbackMesh.Agent.Confinement;
using RollbackMesh.Protos.Actions;
using V1 = RollbackMesh.V1;

namespace RollbackMesh.Agent.Actions;

/// <summary>
/// What actions.proto's options say about every argument, applied before a kind is built: defaults (from the proto or
/// from agent.yaml) fill empty arguments, and every path argument is confined. The builders then read ready values.
/// </summary>
internal sealed partial class ActionFactory
{
    /// <summary>Fills the defaults and confines the paths of one action message, any that carries the options.</summary>
    /// <exception cref="ActionValidationException">Several problems (all in the message).</exception>
    /// <exception cref="PathConfinementException">One path lies outside the allowed roots.</exception>
    public void Prepare(IMessage arguments)
    {
        var v = new Validation(_confinement);
        PrepareArguments(arguments, v);
        v.ThrowIfInvalid();
    }

    private void PrepareArguments(IMessage message, Validation v)
    {
        foreach (var argument in ActionDescription.Of(message.Descriptor).Arguments)
        {
            argument.FillDefault(message);
            if (argument.AgentDefault != V1.AgentDefault.Unspecified && argument.IsUnset(message))
            {
                var (value, confine) = AgentDefault(argument.AgentDefault);
                argument.Field.Accessor.SetValue(message, value);
                if (!confine)
                {
                    continue;
                }
            }

            if (argument.Path == V1.PathArgument.Confined || (argument.Path == V1.PathArgument.ConfinedOrEmpty && !argument.IsUnset(message)))
            {
                argument.Field.Accessor.SetValue(message, v.Path((string)argument.Field.Accessor.GetValue(message), argument.Name));
            }
        }
    }

    // The node's own kubeconfig is the operator's setting and used as configured; tool paths are confined like a
    // path a step names.
    private (string Value, bool Confine) AgentDefault(V1.AgentDefault setting) => setting switch
    {
        V1.AgentDefault.Kubeconfig => (_options.DefaultKubeconfig, false),
        V1.AgentDefault.K3SBinary => (_options.Tools.K3s, true),
        V1.AgentDefault.K3SKillall => (_options.Tools.K3sKillAll, true),
        _ => throw new InvalidOperationException($"actions.proto names agent default {setting}, which this agent does not know"),
    };
}
