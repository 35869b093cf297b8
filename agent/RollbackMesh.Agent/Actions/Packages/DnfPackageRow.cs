namespace RollbackMesh.Agent.Actions.Packages;

/// <summary>One row of `dnf repoquery --qf '%{name} %{epoch}:%{version}-%{release} %{repoid}'`.</summary>
/// <param name="Package">The package name.</param>
/// <param name="Epoch">The epoch (0 when the package has none).</param>
/// <param name="Version">The version.</param>
/// <param name="Release">The release.</param>
/// <param name="RepoId">The id of the repository offering it.</param>
internal sealed record DnfPackageRow(string Package, long Epoch, string Version, string Release, string RepoId)
{
    /// <summary>"E:V-R", without "0:" as rpm and dnf print epoch-less packages.</summary>
    public string Evr => Epoch == 0 ? $"{Version}-{Release}" : $"{Epoch}:{Version}-{Release}";

    /// <summary>The row as repoquery printed it, for error messages.</summary>
    public override string ToString() => $"{Package} {Epoch}:{Version}-{Release} {RepoId}";
}
