using System.Text.RegularExpressions;
using RollbackMesh.Agent.Configuration;

namespace RollbackMesh.Agent.Tests.Configuration;

/// <summary>The hand-written shapes accept exactly what the regular expressions they replaced accepted (minus a trailing newline).</summary>
public sealed class ValueShapesTests
{
    private static readonly Regex NodeName = new("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$");
    private static readonly Regex ReleaseVersion = new("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$");

    [Theory]
    [InlineData("node-1", true)]
    [InlineData("a", true)]
    [InlineData("k3s-server.dc1", true)]
    [InlineData("Node-1", false)]
    [InlineData("-node", false)]
    [InlineData("node-", false)]
    [InlineData("node_1", false)]
    [InlineData("", false)]
    [InlineData("node-1\n", false)]
    public void IsNodeName_Examples(string value, bool expected) => Assert.Equal(expected, ValueShapes.IsNodeName(value));

    [Theory]
    [InlineData("9", true)]
    [InlineData("8.6", true)]
    [InlineData("rawhide", true)]
    [InlineData(".9", false)]
    [InlineData("9 ", false)]
    [InlineData("", false)]
    public void IsReleaseVersion_Examples(string value, bool expected) => Assert.Equal(expected, ValueShapes.IsReleaseVersion(value));

    [Fact]
    public void Shapes_RandomStrings_AgreeWithTheRegularExpressions()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        const string alphabet = "az09AZ-._ \n+";
        for (var i = 0; i < 20_000; i++)
        {
            var length = random.Next(0, i % 100 == 0 ? 300 : 12);
            var value = new string([.. Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)])]);
            if (value.EndsWith('\n'))
            {
                continue; // the regex '$' also matches before a final newline; the shapes refuse it on purpose
            }

            Assert.True(NodeName.IsMatch(value) == ValueShapes.IsNodeName(value), $"seed {seed}: node name '{value}'");
            Assert.True(ReleaseVersion.IsMatch(value) == ValueShapes.IsReleaseVersion(value), $"seed {seed}: release '{value}'");
        }
    }

    [Fact]
    public void IsNodeName_LengthLimit253()
    {
        Assert.True(ValueShapes.IsNodeName(new string('a', 253)));
        Assert.False(ValueShapes.IsNodeName(new string('a', 254)));
    }
}
