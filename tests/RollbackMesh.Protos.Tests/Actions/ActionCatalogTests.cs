using RollbackMesh.Protos.Actions;
using RollbackMesh.V1;

namespace RollbackMesh.Protos.Tests.Actions;

/// <summary>The catalog over actions.proto: every kind of the oneof, every option fitting its field.</summary>
public sealed class ActionCatalogTests
{
    [Fact]
    public void Names_AreTheOneofFieldsInNumberOrder()
    {
        var fields = V1.Action.Descriptor.Oneofs.Single(o => o.Name == "kind").Fields.OrderBy(f => f.FieldNumber).Select(f => f.Name);

        Assert.Equal(fields, ActionCatalog.Names);
    }

    [Fact]
    public void Describe_EveryKind_OptionsFitTheirFields()
    {
        // ActionDescription refuses an option on a field it cannot apply to; describing every kind proves actions.proto consistent.
        var described = ActionCatalog.Names.Select(ActionCatalog.Describe).ToList();

        Assert.All(described, Assert.NotNull);
        Assert.Null(ActionCatalog.Describe("shell"));
    }

    [Fact]
    public void Describe_FelixConfig_PathIsRequiredConfinedAndDefaulted()
    {
        var path = ActionCatalog.Describe("felix_config")!.Arguments.Single(a => a.Name == "path");

        Assert.Equal((true, PathArgument.Confined, "/etc/calico/felix.cfg"), (path.Required, path.Path, path.Default));
    }

    [Fact]
    public void Describe_ReadOnlyKinds_OnlyObservingKindsAreMarked()
    {
        Assert.True(ActionCatalog.Describe("etcd_snapshot_verify")!.ReadOnly);
        Assert.False(ActionCatalog.Describe("k3s_cluster_reset")!.ReadOnly);
    }

    [Fact]
    public void Inner_SetKind_IsItsMessage()
    {
        var action = new V1.Action { MoveAside = new MoveAside { Path = "/var/lib/rancher/k3s/server/db" } };

        Assert.Same(action.MoveAside, ActionCatalog.Inner(action));
        Assert.Null(ActionCatalog.Inner(new V1.Action()));
    }
}
