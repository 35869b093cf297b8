using RollbackMesh.Protos.Conventions;

namespace RollbackMesh.Protos.Tests.Conventions;

public sealed class UnitNamesTests
{
    [Theory]
    [InlineData("k3s", "k3s.service")]
    [InlineData("k3s.service", "k3s.service")]
    [InlineData("docker.socket", "docker.socket")]
    [InlineData("multi-user.target", "multi-user.target")]
    [InlineData("k3s.env", "k3s.env.service")] // not a unit type: systemctl adds .service too
    [InlineData("", "")]
    public void Normalize_NameWithoutUnitType_GetsServiceLikeSystemctl(string name, string expected) =>
        Assert.Equal(expected, UnitNames.Normalize(name));

    [Fact]
    public void Same_ShortAndFullName_SameUnit()
    {
        Assert.True(UnitNames.Same("k3s", "k3s.service"));
        Assert.False(UnitNames.Same("k3s", "k3s-agent.service"));
        Assert.False(UnitNames.Same("k3s.socket", "k3s.service"));
    }
}
