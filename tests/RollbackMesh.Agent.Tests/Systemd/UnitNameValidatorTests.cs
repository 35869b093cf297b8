using RollbackMesh.Agent.Systemd;

namespace RollbackMesh.Agent.Tests.Systemd;

public sealed class UnitNameValidatorTests
{
    [Theory]
    [InlineData("k3s.service")]
    [InlineData("k3s-agent.service")]
    [InlineData("getty@tty1.service")]
    [InlineData("run-user-0.mount")]
    [InlineData("dev-disk-by\\x2duuid.device")]
    [InlineData("multi-user.target")]
    [InlineData("calico_node:1.timer")]
    public void Validate_ValidName_ReturnsNull(string unit)
    {
        Assert.Null(UnitNameValidator.Validate(unit));
    }

    [Theory]
    [InlineData("", "required")]
    [InlineData("k3s", "known unit type")]
    [InlineData("k3s.servic", "known unit type")]
    [InlineData(".service", "empty name")]
    [InlineData("@x.service", "empty name")]
    [InlineData("getty@.service", "one '@'")]
    [InlineData("a@b@c.service", "one '@'")]
    [InlineData("a b.service", "' '")]
    [InlineData("a/b.service", "'/'")]
    [InlineData("a;reboot.service", "';'")]
    public void Validate_InvalidName_NamesTheProblem(string unit, string expected)
    {
        Assert.Contains(expected, UnitNameValidator.Validate(unit), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_LongerThan255_ReturnsProblem()
    {
        Assert.Contains("255", UnitNameValidator.Validate(new string('a', 250) + ".service"), StringComparison.Ordinal);
    }
}
