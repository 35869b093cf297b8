using RollbackMesh.Agent.Actions.ConfigFiles;

namespace RollbackMesh.Agent.Actions.Repositories;

/// <summary>The documented `sed -i 's/calico-3.1/calico-2.6/g'` on a yum .repo file: a literal substitution.</summary>
internal sealed class YumRepoSubstituteAction : FileEditAction
{
    private readonly string _from;
    private readonly string _to;

    /// <summary>Creates the substitution for a confined path; <paramref name="from"/> is literal, not a regex.</summary>
    public YumRepoSubstituteAction(string path, string from, string to)
        : base(path)
    {
        _from = from;
        _to = to;
    }

    /// <inheritdoc />
    public override string Kind => "yum_repo_substitute";

    /// <inheritdoc />
    protected override string Edit(string current) => current.Replace(_from, _to, StringComparison.Ordinal);
}
