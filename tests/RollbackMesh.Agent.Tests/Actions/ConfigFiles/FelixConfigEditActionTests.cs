using RollbackMesh.Agent.Tests.Testbeds;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Actions.ConfigFiles;

public sealed class FelixConfigEditActionTests : IDisposable
{
    private const string Original = """
        # Felix configuration, written by the installer
        [global]
        DatastoreType = etcdv3
        EtcdEndpoints = http://old:2379
        ; keep this comment
        LogSeverityScreen = Info

        """;

    private readonly AgentHarness _h = new();
    private readonly string _path;

    public FelixConfigEditActionTests() => _path = _h.Root.Write("allowed/etc/calico/felix.cfg", Original);

    private RollbackMesh.V1.Action Edit(string onlyIf = "etcdv3")
    {
        var edit = new FelixConfigEdit { Path = _path, RemoveOnlyIfValue = onlyIf };
        edit.RemoveKeys.Add("DatastoreType");
        edit.SetKeys.Add("EtcdEndpoints", "http://10.0.0.1:2379");
        return new RollbackMesh.V1.Action { FelixConfig = edit };
    }

    [Fact]
    public async Task ExecuteAsync_RemoveAndSet_KeepsCommentsAndOrderAndBacksUp()
    {
        var action = _h.Build(Edit());
        var ctx = _h.Context();
        Assert.False(await action.IsAlreadyDoneAsync(ctx, default));
        await action.ExecuteAsync(ctx, default);
        Assert.Equal("""
            # Felix configuration, written by the installer
            [global]
            EtcdEndpoints = http://10.0.0.1:2379
            ; keep this comment
            LogSeverityScreen = Info

            """, File.ReadAllText(_path));
        var backup = Assert.Single(Directory.GetFiles(_h.Options.BackupDirectory));
        Assert.Equal(Original, File.ReadAllText(backup));
        Assert.Matches(@"^\d{8}T\d{6}\.\d{3}Z-", Path.GetFileName(backup));
        Assert.True(await action.VerifyAsync(ctx, default));
        Assert.True(await action.IsAlreadyDoneAsync(ctx, default));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(_path)!, "*.tmp"));
    }

    [Fact]
    public async Task DescribeAsync_Edit_UnifiedDiffAndFileUntouched()
    {
        var diff = await _h.Build(Edit()).DescribeAsync(_h.Context(), default);
        Assert.Equal($"""
            --- {_path}
            +++ {_path}
            @@ -1,6 +1,5 @@
             # Felix configuration, written by the installer
             [global]
            -DatastoreType = etcdv3
            -EtcdEndpoints = http://old:2379
            +EtcdEndpoints = http://10.0.0.1:2379
             ; keep this comment
             LogSeverityScreen = Info

            """, diff);
        Assert.Equal(Original, File.ReadAllText(_path));
    }

    [Fact]
    public async Task ExecuteAsync_ValueDoesNotMatch_KeyKept()
    {
        await _h.Build(Edit(onlyIf: "kubernetes")).ExecuteAsync(_h.Context(), default);
        Assert.Contains("DatastoreType = etcdv3", File.ReadAllText(_path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteAsync_MissingKeyToSet_AppendedAtEnd()
    {
        var edit = new FelixConfigEdit { Path = _path };
        edit.SetKeys.Add("FelixHostname", "node-1");
        await _h.Build(new RollbackMesh.V1.Action { FelixConfig = edit }).ExecuteAsync(_h.Context(), default);
        Assert.EndsWith("LogSeverityScreen = Info\nFelixHostname = node-1\n", File.ReadAllText(_path), StringComparison.Ordinal);
    }

    public void Dispose() => _h.Dispose();
}
