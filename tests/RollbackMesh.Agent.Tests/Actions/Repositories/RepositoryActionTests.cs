using RollbackMesh.Agent.Tests.Testbeds;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Actions.Repositories;

public sealed class RepositoryActionTests : IDisposable
{
    private readonly AgentHarness _h = new();

    [Fact]
    public async Task YumRepoSubstitute_Calico31To26_RewritesAllOccurrencesWithBackup()
    {
        var repo = _h.Root.Write("allowed/etc/yum.repos.d/calico.repo", """
            [calico]
            name=Calico Repository
            baseurl=https://binaries.projectcalico.org/rpm/calico-3.1/
            gpgkey=https://binaries.projectcalico.org/rpm/calico-3.1/key

            """);
        var action = _h.Build(new RollbackMesh.V1.Action { YumRepoSubstitute = new YumRepoSubstitute { Path = repo, From = "calico-3.1", To = "calico-2.6" } });
        var diff = await action.DescribeAsync(_h.Context(), default);
        Assert.Contains("+baseurl=https://binaries.projectcalico.org/rpm/calico-2.6/", diff, StringComparison.Ordinal);
        await action.ExecuteAsync(_h.Context(), default);
        Assert.DoesNotContain("calico-3.1", File.ReadAllText(repo), StringComparison.Ordinal);
        Assert.Equal(2, File.ReadAllText(repo).Split("calico-2.6").Length - 1);
        Assert.Single(Directory.GetFiles(_h.Options.BackupDirectory));
        Assert.True(await action.IsAlreadyDoneAsync(_h.Context(), default));
    }

    [Fact]
    public async Task AptSourceRemove_MovesListIntoQuarantine()
    {
        var list = _h.Root.Write("allowed/etc/apt/sources.list.d/calico-3.1.list", "deb http://ppa.launchpad.net/project-calico/calico-3.1/ubuntu trusty main\n");
        var action = _h.Build(new RollbackMesh.V1.Action { AptSource = new AptSourceChange { Path = list, Remove = true } });
        await action.ExecuteAsync(_h.Context(), default);
        Assert.False(File.Exists(list));
        var kept = Assert.Single(Directory.GetFiles(_h.Options.QuarantineDirectory));
        Assert.Contains("calico-3.1", File.ReadAllText(kept), StringComparison.Ordinal);
        Assert.True(await action.IsAlreadyDoneAsync(_h.Context(), default));
    }

    [Fact]
    public async Task AptSourceAdd_WritesContentAndRepeatIsNoOp()
    {
        var list = Path.Combine(_h.Allowed, "etc/apt/sources.list.d/calico-2.6.list");
        Directory.CreateDirectory(Path.GetDirectoryName(list)!);
        var action = _h.Build(new RollbackMesh.V1.Action { AptSource = new AptSourceChange { Path = list, Content = "deb http://example/calico-2.6 trusty main" } });
        Assert.False(await action.IsAlreadyDoneAsync(_h.Context(), default));
        await action.ExecuteAsync(_h.Context(), default);
        Assert.Equal("deb http://example/calico-2.6 trusty main\n", File.ReadAllText(list));
        Assert.True(await action.IsAlreadyDoneAsync(_h.Context(), default));
    }

    public void Dispose() => _h.Dispose();
}
