using RollbackMesh.Agent.Tests.Testbeds;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Actions.Filesystem;

public sealed class MoveAsideActionTests : IDisposable
{
    private readonly AgentHarness _h = new();

    [Fact]
    public async Task ExecuteAsync_K3sDbDirectory_RenamedIntoQuarantineWithContents()
    {
        _h.Root.Write("allowed/rancher/k3s/server/db/etcd/member/snap/db", "etcd data");
        var db = Path.Combine(_h.Allowed, "rancher/k3s/server/db");
        var action = _h.Build(new RollbackMesh.V1.Action { MoveAside = new MoveAside { Path = db } });
        await action.ExecuteAsync(_h.Context(), default);
        Assert.False(Directory.Exists(db));
        var moved = Assert.Single(Directory.GetDirectories(_h.Options.QuarantineDirectory));
        Assert.Equal("etcd data", File.ReadAllText(Path.Combine(moved, "etcd/member/snap/db")));
        Assert.True(await action.IsAlreadyDoneAsync(_h.Context(), default));
    }

    public void Dispose() => _h.Dispose();
}
