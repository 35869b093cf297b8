namespace RollbackMesh.Agent.Actions.Packages;

/// <summary>One row of `apt-cache madison`: " python-etcd | 0.4.3+calico.1-1 | http://ppa.launchpad.net/project-calico/calico-2.6/ubuntu trusty/main amd64 Packages".</summary>
/// <param name="Package">The package column.</param>
/// <param name="Version">The version column.</param>
/// <param name="Source">The repository column (archive URI, suite/component, architecture, index).</param>
internal sealed record MadisonLine(string Package, string Version, string Source)
{
    /// <summary>The row as madison printed it, for error messages.</summary>
    public override string ToString() => $"{Package} | {Version} | {Source}";
}
