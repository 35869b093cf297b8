using RollbackMesh.Agent.Actions;

namespace RollbackMesh.Demo.Sandbox;

/// <summary>
/// A simulated node's root directory (<c>rollbackmesh-demo sandbox-agent --root DIR</c>). Runbooks name real node paths
/// (/var/lib/rancher/k3s/server/db, /usr/local/bin/k3s-killall.sh); on a sandbox node they are rebased under this
/// root, the way a chroot would see them, so a runbook runs unchanged on a sandbox fleet and on a real one.
/// Only the sandbox agent has one; the packaged agent has no sandbox mode.
/// </summary>
internal sealed record SandboxRoot
{
    /// <summary>Creates the sandbox for <paramref name="path"/> (absolute; its trailing slash is dropped).</summary>
    public SandboxRoot(string path)
    {
        Path = path.Length > 1 ? path.TrimEnd('/') : path;
    }

    /// <summary>The root directory on the host.</summary>
    public string Path { get; }

    /// <summary>
    /// The host path for the node path <paramref name="nodePath"/>. Relative paths are returned unchanged (the
    /// action's validation refuses them); a path already under the root is not rebased twice.
    /// </summary>
    public string Rebase(string nodePath)
    {
        if (!nodePath.StartsWith('/') || nodePath == Path || nodePath.StartsWith(Path + "/", StringComparison.Ordinal))
        {
            return nodePath;
        }

        return Path + nodePath;
    }

    /// <summary>
    /// The action options for a sandbox node: backups and trial-restore scratch space move under the root too (the
    /// configured journal, quarantine and tool paths already point there).
    /// </summary>
    public AgentActionOptions Apply(AgentActionOptions options) => options with
    {
        BackupDirectory = Rebase(options.BackupDirectory),
        ScratchDirectory = Rebase(options.ScratchDirectory),
        DefaultKubeconfig = Rebase(options.DefaultKubeconfig),
    };
}
