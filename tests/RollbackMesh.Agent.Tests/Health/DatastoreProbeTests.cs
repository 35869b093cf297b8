using RollbackMesh.Agent.Health;
using RollbackMesh.V1;

namespace RollbackMesh.Agent.Tests.Health;

public sealed class DatastoreProbeTests
{
    [Fact]
    public void Probe_NoK3sData_IsNone()
    {
        using var sandbox = new TempRoot();

        Assert.Equal(DatastoreKind.None, Probe(sandbox));
    }

    [Fact]
    public void Probe_StateDb_IsSqlite()
    {
        using var sandbox = new TempRoot();
        sandbox.Write("k3s/server/db/state.db", "SQLite format 3");

        Assert.Equal(DatastoreKind.Sqlite, Probe(sandbox));
    }

    [Fact]
    public void Probe_EtcdDirectoryNextToAnOldStateDb_IsEmbeddedEtcd()
    {
        using var sandbox = new TempRoot();
        sandbox.Write("k3s/server/db/state.db", "SQLite format 3");
        sandbox.Dir("k3s/server/db/etcd/member");

        Assert.Equal(DatastoreKind.EmbeddedEtcd, Probe(sandbox));
    }

    [Fact]
    public void Probe_ConfigYamlNamesAnEndpoint_IsExternal()
    {
        using var sandbox = new TempRoot();
        sandbox.Write("k3s/server/db/state.db", "x");
        sandbox.Write("etc/config.yaml", "write-kubeconfig-mode: \"0644\"\ndatastore-endpoint: \"postgres://k3s:pw@db:5432/k3s\"\n");

        Assert.Equal(DatastoreKind.External, Probe(sandbox));
    }

    [Fact]
    public void Probe_UnitExecStartFlag_IsExternal()
    {
        using var sandbox = new TempRoot();
        sandbox.Write("etc/k3s.service", "[Service]\nExecStart=/usr/local/bin/k3s \\\n    server \\\n    '--datastore-endpoint=mysql://u:p@tcp(db:3306)/k3s' \\\n");

        Assert.Equal(DatastoreKind.External, Probe(sandbox));
    }

    [Fact]
    public void Probe_CommentedOrEmptyEndpoint_IsNotExternal()
    {
        using var sandbox = new TempRoot();
        sandbox.Write("etc/config.yaml", "# datastore-endpoint: postgres://old\n");
        sandbox.Write("etc/k3s.service.env", "K3S_DATASTORE_ENDPOINT=''\n");
        sandbox.Write("k3s/server/db/state.db", "x");

        Assert.Equal(DatastoreKind.Sqlite, Probe(sandbox));
    }

    private static DatastoreKind Probe(TempRoot sandbox)
    {
        var probe = new DatastoreProbe(sandbox["k3s"],
            [sandbox["etc/config.yaml"], sandbox["etc/k3s.service"], sandbox["etc/k3s.service.env"]]);
        var problems = new List<string>();
        var kind = probe.Probe(problems);
        Assert.Empty(problems);
        return kind;
    }
}
