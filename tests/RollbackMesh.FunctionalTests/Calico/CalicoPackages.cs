namespace RollbackMesh.FunctionalTests.Calico;

/// <summary>The packages the OpenStack downgrade runbooks name, per distribution and node role (all built as stand-ins).</summary>
internal static class CalicoPackages
{
    public static readonly string[] UbuntuControl = ["calico-control", "calico-common", "python-etcd", "networking-calico"];

    public static readonly string[] UbuntuCompute = ["calico-compute", "calico-felix", "calico-common", "python-etcd", "networking-calico", "calico-dhcp-agent"];

    public static readonly string[] CentosControl = ["calico-common", "calico-control", "networking-calico"];

    public static readonly string[] CentosCompute = ["calico-common", "calico-compute", "calico-dhcp-agent", "calico-felix", "dnsmasq", "networking-calico"];

    public static string[] Ubuntu => [.. UbuntuControl.Union(UbuntuCompute)];

    public static string[] Centos => [.. CentosControl.Union(CentosCompute)];

    /// <summary>felix.cfg of a compute node as Calico 3.1 left it (DatastoreType = etcdv3 goes, the rest stays).</summary>
    public const string FelixConfig = """
        [global]
        DatastoreType = etcdv3
        EtcdEndpoints = http://10.0.0.10:2379
        MetadataAddr = None
        LogSeverityFile = Info

        """;

    /// <summary>The stand-in previous calicoctl (an artifact on control nodes; only its checksum and install matter).</summary>
    public const string Calicoctl = "#!/bin/sh\necho 'calicoctl version v2.6.5 (stand-in)'\n";

    /// <summary>The Ubuntu runbook's default 3.1 sources list, and the 2.6 one that stays.</summary>
    public const string Apt31List = "sources.list.d/project-calico-calico-3_1-trusty.list";

    public const string Apt26List = "sources.list.d/project-calico-calico-2_6-trusty.list";
}
