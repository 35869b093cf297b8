using RollbackMesh.Demo.Sandbox;
using RollbackMesh.Protos.Actions;
using RollbackMesh.Test;
using Xunit;
using V1 = RollbackMesh.V1;

namespace RollbackMesh.FunctionalTests.Demo.Sandbox;

/// <summary>The rebaser moves exactly the arguments actions.proto marks as paths under the sandbox root.</summary>
public sealed class SandboxActionRebaserTests
{
    private static readonly SandboxRoot Root = new("/srv/sandbox/node-1");

    [Fact]
    public void RebaseArguments_NewMessage_PathsAndTheirDefaultsMoveOtherStringsStay()
    {
        var step = new TestRestoreAction { DumpPath = "/var/lib/test/dump", Kubeconfig = "/etc/rancher/k3s/k3s.yaml", Label = "/not/a/path" };

        SandboxActionRebaser.RebaseArguments(step, Root);

        Assert.Equal("/srv/sandbox/node-1/var/lib/test/dump", step.DumpPath);
        Assert.Equal("/srv/sandbox/node-1/etc/test/restore.conf", step.ConfigPath);
        Assert.Equal("/srv/sandbox/node-1/etc/rancher/k3s/k3s.yaml", step.Kubeconfig);
        Assert.Equal((string.Empty, "/not/a/path", 0u), (step.ExtraPath, step.Label, step.TimeoutSeconds));
    }

    [Fact]
    public void Rebase_FelixConfigWithoutPath_TheDefaultFileIsRebased()
    {
        var command = new V1.StepCommand { Action = new V1.Action { FelixConfig = new V1.FelixConfigEdit() } };

        var rebased = SandboxActionRebaser.Rebase(command, Root);

        Assert.Equal("/srv/sandbox/node-1/etc/calico/felix.cfg", rebased.Action.FelixConfig.Path);
        Assert.Equal(string.Empty, command.Action.FelixConfig.Path); // the original command is left alone
    }

    [Fact]
    public void Rebase_EveryKind_EveryPathArgumentMovesAndNoOtherStringDoes()
    {
        foreach (var kind in ActionCatalog.Names)
        {
            var action = ActionCatalog.Create(kind, out var inner);
            var strings = ActionCatalog.Describe(kind)!.Arguments
                .Where(a => a.Field.FieldType == Google.Protobuf.Reflection.FieldType.String && !a.Field.IsRepeated && !a.Field.IsMap)
                .ToList();
            strings.ForEach(a => a.Field.Accessor.SetValue(inner, "/given/" + a.Name));

            var rebased = ActionCatalog.Inner(SandboxActionRebaser.Rebase(new V1.StepCommand { Action = action }, Root).Action)!;

            Assert.All(strings, a => Assert.Equal(
                (a.Path != V1.PathArgument.Unspecified ? Root.Path : "") + "/given/" + a.Name, (string)a.Field.Accessor.GetValue(rebased)));
        }
    }
}
