using System.Text.RegularExpressions;
using RollbackMesh.Agent.Health;

namespace RollbackMesh.Agent.Tests.Health;

/// <summary>VersionText finds what the regular expression it replaced found, on ASCII tool output.</summary>
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
    public void Find_Examples(string output, string? expected) => Assert.Equal(expected, VersionText.Find(output));

    [Fact]
    public void Find_RandomOutput_AgreesWithTheRegularExpression()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        const string alphabet = "v1.2 +~-_kx(\n9";
        for (var i = 0; i < 20_000; i++)
        {
            var output = new string([.. Enumerable.Range(0, random.Next(0, 16)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            var match = Version.Match(output);
            Assert.True((match.Success ? match.Value : null) == VersionText.Find(output), $"seed {seed}: '{output}'");
        }
    }
}
