using RollbackMesh.Agent.Actions;
using V1 = RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Actions;

/// <summary>The written-out kind names must stay what the protobuf descriptor says, field for field.</summary>
public sealed class ActionKindNamesTests
{
    [Fact]
    public void EveryOneofFieldHasItsDescriptorName()
    {
        var fromDescriptor = V1.Action.Descriptor.Oneofs[0].Fields
            .OrderBy(f => f.FieldNumber)
            .Select(f => f.Name)
            .ToArray();

        Assert.Equal(fromDescriptor, ActionKindNames.All);
        foreach (var field in V1.Action.Descriptor.Oneofs[0].Fields)
        {
            Assert.Equal(field.Name, ActionKindNames.Of((V1.Action.KindOneofCase)field.FieldNumber));
        }
    }

    [Fact]
    public void UnsetKindIsNone() => Assert.Equal("none", ActionKindNames.Of(V1.Action.KindOneofCase.None));
}
