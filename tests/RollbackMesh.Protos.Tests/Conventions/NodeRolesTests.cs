using RollbackMesh.Protos.Conventions;

namespace RollbackMesh.Protos.Tests.Conventions;

public sealed class NodeRolesTests
{
    [Fact]
    public void All_TheFiveRolesAgentsReport() =>
        Assert.Equal(["server", "first-server", "agent", "control", "compute"], NodeRoles.All);

    [Theory]
    [InlineData("server", true)]
    [InlineData("first-server", true)]
    [InlineData("Server", false)]
    [InlineData("servers", false)] // a runbook selector, not a role
    [InlineData("", false)]
    public void IsKnown_ExactRoleNamesOnly(string role, bool known) => Assert.Equal(known, NodeRoles.IsKnown(role));
}
