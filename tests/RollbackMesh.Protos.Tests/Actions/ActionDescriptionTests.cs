using RollbackMesh.Protos.Actions;
using RollbackMesh.Test;
using RollbackMesh.V1;

namespace RollbackMesh.Protos.Tests.Actions;

/// <summary>A message's options are read from its descriptor alone: a new message needs no table to be described.</summary>
public sealed class ActionDescriptionTests
{
    private static readonly ActionDescription Restore = ActionDescription.Of(TestRestoreAction.Descriptor);

    [Fact]
    public void Of_TestMessage_ReadsEveryFieldOption()
    {
        Assert.Equal(["dump_path"], Restore.Required.Select(a => a.Name));
        Assert.Equal(["dump_path", "config_path", "extra_path", "kubeconfig"], Restore.Paths.Select(a => a.Name));
        Assert.Equal(PathArgument.ConfinedOrEmpty, Argument("extra_path").Path);
        Assert.Equal(AgentDefault.Kubeconfig, Argument("kubeconfig").AgentDefault);
        Assert.Equal(["password"], Restore.Arguments.Where(a => a.Secret).Select(a => a.Name));
        Assert.Equal(("/etc/test/restore.conf", "120"), (Argument("config_path").Default, Argument("timeout_seconds").Default));
        Assert.False(Restore.ReadOnly);
        Assert.True(ActionDescription.Of(TestProbeAction.Descriptor).ReadOnly);
    }

    [Fact]
    public void FillDefault_UnsetStringAndNumber_TakeTheDefaultAndGivenValuesStay()
    {
        var unset = new TestRestoreAction();
        var given = new TestRestoreAction { ConfigPath = "/etc/test/other.conf", TimeoutSeconds = 5 };

        var filled = Restore.Arguments.Where(a => a.FillDefault(unset)).Select(a => a.Name).ToArray();
        var refilled = Restore.Arguments.Count(a => a.FillDefault(given));

        Assert.Equal(["config_path", "timeout_seconds"], filled);
        Assert.Equal(("/etc/test/restore.conf", 120u), (unset.ConfigPath, unset.TimeoutSeconds));
        Assert.Equal(0, refilled);
        Assert.Equal(("/etc/test/other.conf", 5u), (given.ConfigPath, given.TimeoutSeconds));
    }

    [Fact]
    public void Of_OptionThatDoesNotFitItsField_RefusedNamingTheField()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => ActionDescription.Of(MisdeclaredTestAction.Descriptor));

        Assert.Equal("actions.proto: MisdeclaredTestAction.retries a path or an agent default needs a single string field", ex.Message);
    }

    private static ActionArgument Argument(string name) => Restore.Arguments.Single(a => a.Name == name);
}
