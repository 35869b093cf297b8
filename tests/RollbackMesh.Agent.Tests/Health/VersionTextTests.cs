using System.Text.RegularExpressions;
using RollbackMesh.Agent.Health;

namespace RollbackMesh.Agent.Tests.Health;

/// <summary>
/// VersionText finds what the regular expression it replaced found, on ASCII tool output, less trailing separators.
/// </summary>
public sealed class VersionTextTests
{
    private static readonly Regex Version = new(@"v?\d+\.\d+(\.\d+)?[-+.~\w]*");

    [Theory]
    [InlineData("k3s version v1.28.5+k3s1 (5b2d1271)\ngo version go1.20.12", "v1.28.5+k3s1")]
    [InlineData("v3.26.1", "v3.26.1")]
    [InlineData("3.26.1\n", "3.26.1")]
    [InlineData("calico-felix 2.6.5~trusty", "2.6.5~trusty")]
    [InlineData("version 10", null)]
    [InlineData("", null)]
    [InlineData("v.1.2 then 1.2", "1.2")]
    [InlineData("calico-felix version v2.6.5.", "v2.6.5")]
    [InlineData("v1.29.4+k3s1-", "v1.29.4+k3s1")]
    public void Find_Examples(string output, string? expected) => Assert.Equal(expected, VersionText.Find(output));

    [Theory]
    [InlineData("k3s version v1.29.4+k3s10 (5b2d1271)\ngo version go1.21.9", new[] { "v1.29.4+k3s10", "1.21.9" })]
    [InlineData("Client Version: v1.32.0\nKustomize Version: v5.5.0", new[] { "v1.32.0", "v5.5.0" })]
    [InlineData("v1.29.4+k3s1-rc1", new[] { "v1.29.4+k3s1-rc1" })]
    [InlineData("no version here", new string[0])]
    public void FindAll_Examples_WholeTokensNeverAPrefix(string output, string[] expected) =>
        Assert.Equal(expected, VersionText.FindAll(output));

    [Fact]
    public void Find_RandomOutput_AgreesWithTheRegularExpression()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        const string alphabet = "v1.2 +~-_kx(\n9";
        for (var i = 0; i < 20_000; i++)
        {
            var output = new string([.. Enumerable.Range(0, random.Next(0, 16)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            var matches = Version.Matches(output).Select(m => m.Value.TrimEnd('_', '.', '-', '+', '~')).ToList();
            Assert.True(matches.FirstOrDefault() == VersionText.Find(output), $"seed {seed}: '{output}'");
            Assert.True(matches.SequenceEqual(VersionText.FindAll(output)), $"seed {seed}: '{output}'");
        }
    }
}
