using RollbackMesh.Agent.Actions;
using RollbackMesh.Agent.Actions.Packages;

namespace RollbackMesh.Agent.Tests.Actions.Packages;

/// <summary>
/// The Ubuntu procedure's `apt-cache madison calico-control calico-common python-etcd networking-calico | grep calico-2.6`
/// on a control node that still has the calico-3.1 PPA next to the calico-2.6 one and the Ubuntu archive.
/// </summary>
public sealed class MadisonSelectorTests
{
    private const string Ppa26 = "http://ppa.launchpad.net/project-calico/calico-2.6/ubuntu trusty/main amd64 Packages";
    private const string Ppa31 = "http://ppa.launchpad.net/project-calico/calico-3.1/ubuntu trusty/main amd64 Packages";

    private static readonly string ControlNode = $"""
        calico-control |    1:2.0.0 | {Ppa31}
        calico-control |    1:1.1.2 | {Ppa26}
        calico-control |    1:1.1.1 | {Ppa26}
         calico-common | 3.1.3~trusty | {Ppa31}
         calico-common | 2.6.5~trusty | {Ppa26}
         calico-common | 2.6.2~trusty | {Ppa26}
           python-etcd | 0.4.5-1 | {Ppa31}
           python-etcd | 0.4.3+calico.1-1 | {Ppa26}
           python-etcd | 0.4.3-2 | http://archive.ubuntu.com/ubuntu trusty/universe amd64 Packages
           python-etcd | 0.4.3-2 | http://archive.ubuntu.com/ubuntu trusty/universe Sources
      networking-calico | 1:2.0.0~trusty | {Ppa31}
      networking-calico | 1:1.4.3~trusty | {Ppa26}
      networking-calico | 1:1.4.10~trusty | http://ppa.launchpad.net/project-calico/calico-2.60/ubuntu trusty/main amd64 Packages

      """;

    [Theory]
    [InlineData("calico-control", "1:1.1.2")]
    [InlineData("calico-common", "2.6.5~trusty")]
    [InlineData("python-etcd", "0.4.3+calico.1-1")]
    [InlineData("networking-calico", "1:1.4.3~trusty")]
    public void Select_DocumentedControlNode_HighestFromCalico26Repository(string package, string expected)
    {
        var chosen = MadisonSelector.Select(MadisonSelector.Parse(ControlNode), package, "2.6");
        Assert.Equal(new SeriesVersion(expected), chosen);
    }

    [Fact]
    public void Parse_MadisonRows_ColumnsTrimmedAndGarbageSkipped()
    {
        var rows = MadisonSelector.Parse(ControlNode + "N: Unable to locate package calico-dhcp-agent\n");
        Assert.Equal(13, rows.Count);
        Assert.Equal(new MadisonLine("python-etcd", "0.4.3+calico.1-1", Ppa26), rows[7]);
    }

    [Fact]
    public void Select_FromSeriesRepositoryOutOfOrder_HighestByDpkgRules()
    {
        // Row order is apt's, not ours to trust: 1:1.4.10 outranks 1:1.4.9 although it sorts lower as a string.
        var rows = MadisonSelector.Parse($"""
            calico-dhcp-agent | 1:1.4.9~trusty | {Ppa26}
            calico-dhcp-agent | 1:1.4.10~trusty | {Ppa26}
            calico-dhcp-agent | 2.6.9 | http://mirror.example/flat ./ Packages
            """);
        Assert.Equal("1:1.4.10~trusty", MadisonSelector.Select(rows, "calico-dhcp-agent", "2.6").Version);
    }

    [Fact]
    public void Select_NoCalico26Repository_FallsBackToSeriesPrefixAndSaysSo()
    {
        var rows = MadisonSelector.Parse("""
             calico-felix | 3.1.0 | file:/srv/repo ./ Packages
             calico-felix | 2.6.5~trusty | file:/srv/repo ./ Packages
             calico-felix | 2.6.2~trusty | file:/srv/repo ./ Packages
            """);
        var chosen = MadisonSelector.Select(rows, "calico-felix", "2.6");
        Assert.Equal("2.6.5~trusty", chosen.Version);
        Assert.Contains("calico-felix: no apt-cache madison row from a calico-2.6 repository", chosen.Note, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_NoCandidate_FailsNamingPackageAndShowingItsRows()
    {
        var ex = Assert.Throws<ActionFailedException>(() => MadisonSelector.Select(MadisonSelector.Parse(ControlNode), "python-etcd", "2.5"));
        Assert.Contains("no 2.5 version of python-etcd", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"python-etcd | 0.4.3+calico.1-1 | {Ppa26}", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("calico-control", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_PackageAbsentFromMadison_FailsNamingPackage()
    {
        var ex = Assert.Throws<ActionFailedException>(() => MadisonSelector.Select(MadisonSelector.Parse(ControlNode), "calico-dhcp-agent", "2.6"));
        Assert.Contains("no 2.6 version of calico-dhcp-agent", ex.Message, StringComparison.Ordinal);
        Assert.Contains("apt-cache madison lists no version", ex.Message, StringComparison.Ordinal);
    }
}
