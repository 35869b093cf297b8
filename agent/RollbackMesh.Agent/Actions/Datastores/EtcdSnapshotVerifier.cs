using RollbackMesh.Agent.Processes;

namespace RollbackMesh.Agent.Actions.Datastores;

/// <summary>
/// Checks an etcd snapshot by restoring it into a throw-away directory. `etcdctl snapshot status` does not
/// detect corruption; `snapshot restore` checks the embedded sha256, so a trial restore is the reliable test.
/// </summary>
internal static class EtcdSnapshotVerifier
{
    /// <summary>The trial restore command line for dry runs.</summary>
    public static string Describe(ActionContext context, string snapshot) =>
        Invocation(context, snapshot, Path.Combine(context.Options.ScratchDirectory, "etcd-trial-XXXX", "member-data")).CommandLine;

    /// <summary>Runs the trial restore; throws <see cref="ActionFailedException"/> when the snapshot is bad.</summary>
    public static async Task VerifyAsync(ActionContext context, string snapshot, CancellationToken cancellationToken)
    {
        if (!File.Exists(snapshot))
        {
            throw new ActionFailedException($"snapshot {snapshot} does not exist");
        }

        Directory.CreateDirectory(context.Options.ScratchDirectory);
        var scratch = Path.Combine(context.Options.ScratchDirectory, $"etcd-trial-{Guid.NewGuid():N}");
        Directory.CreateDirectory(scratch);
        try
        {
            // The data dir must not exist yet: etcdctl refuses to restore into an existing one.
            var invocation = Invocation(context, snapshot, Path.Combine(scratch, "member-data"));
            var result = await context.RunAsync(invocation, cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                throw new ActionFailedException($"snapshot {snapshot} failed the trial restore (exit {result.ExitCode}): {result.CombinedOutput}");
            }

            context.Output($"snapshot {snapshot} passed a trial restore");
        }
        finally
        {
            // Our own scratch copy, never user data: removing it is safe.
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static ToolInvocation Invocation(ActionContext context, string snapshot, string dataDir) => new()
    {
        FileName = context.Options.Tools.Etcdctl,
        Arguments = ["snapshot", "restore", snapshot, $"--data-dir={dataDir}"],
        Environment = new Dictionary<string, string> { ["ETCDCTL_API"] = "3" },
    };
}
