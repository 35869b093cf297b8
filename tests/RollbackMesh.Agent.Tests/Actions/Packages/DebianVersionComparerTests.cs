using RollbackMesh.Agent.Actions.Packages;
using RollbackMesh.Agent.Tests.Testbeds;

namespace RollbackMesh.Agent.Tests.Actions.Packages;

/// <summary>dpkg --compare-versions semantics; each pair is also checked against the real dpkg.</summary>
public sealed class DebianVersionComparerTests
{
    [Theory]
    [InlineData("1:1.1.2", "2.6.5~trusty")]      // the epoch outranks everything
    [InlineData("1:1.4.3~trusty", "1:1.1.2")]
    [InlineData("2.6.5", "2.6.5~trusty")]        // "~" sorts before the end
    [InlineData("2.6.5~trusty", "2.6.5~rc1")]
    [InlineData("0.4.5", "0.4.3+calico.1-1")]
    [InlineData("0.4.3+calico.1-1", "0.4.3-2")]  // "+" after the end of "0.4.3"
    [InlineData("0.4.3-10", "0.4.3-9")]          // numeric runs compare as numbers
    [InlineData("1.0a", "1.0")]
    [InlineData("1.0+x", "1.0a")]                // non-letters sort after letters
    [InlineData("3.1.0", "2.6.5~trusty")]
    [InlineData("1.2-3-4", "1.2-3")]             // upstream keeps hyphens; revision after the last one
    public void Compare_Pair_FirstIsHigherAsDpkgSays(string higher, string lower)
    {
        Assert.True(DebianVersionComparer.Instance.Compare(higher, lower) > 0, $"{higher} > {lower}");
        Assert.True(DebianVersionComparer.Instance.Compare(lower, higher) < 0, $"{lower} < {higher}");
        Sh.Run("/usr/bin/dpkg", "--compare-versions", higher, "gt", lower); // throws when dpkg disagrees
    }

    [Theory]
    [InlineData("1.0", "1.0-0")]
    [InlineData("0:1.0", "1.0")]
    [InlineData("1.01", "1.1")]
    public void Compare_EquivalentSpellings_Zero(string a, string b)
    {
        Assert.Equal(0, DebianVersionComparer.Instance.Compare(a, b));
        Sh.Run("/usr/bin/dpkg", "--compare-versions", a, "eq", b);
    }
}
