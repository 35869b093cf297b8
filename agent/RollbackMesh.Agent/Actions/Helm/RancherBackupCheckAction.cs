using RollbackMesh.Agent.Processes;
using RollbackMesh.Agent.Actions.Kubernetes;

namespace RollbackMesh.Agent.Actions.Helm;

/// <summary>
/// Read-only, before rancher-cleanup deletes everything: the backup the Restore will read must exist. It passes when
/// a rancher-backup Backup resource reports the file as its status.filename (the operator wrote it to its storage),
/// or when the operator named the same file as checked by hand (S3 buckets the agent cannot read); the output says
/// which, and it is journaled and audited with the step.
/// </summary>
internal sealed class RancherBackupCheckAction : AgentAction
{
    private const string Backups = "backups.resources.cattle.io";
    private readonly string _backupFilename;
    private readonly bool _acknowledged;
    private readonly string _kubeconfig;

    /// <summary>Creates the check; <paramref name="acknowledged"/> when the operator named this same file.</summary>
    public RancherBackupCheckAction(string backupFilename, bool acknowledged, string kubeconfig)
    {
        _backupFilename = backupFilename;
        _acknowledged = acknowledged;
        _kubeconfig = kubeconfig;
    }

    /// <inheritdoc />
    public override string Kind => "rancher_backup_check";

    /// <inheritdoc />
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult($"{Query(context).CommandLine} (must list {_backupFilename}{(_acknowledged ? ", or the operator's acknowledgement stands" : string.Empty)})");

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var result = await context.QueryAsync(Query(context), cancellationToken).ConfigureAwait(false);
        var recordedBy = result.Succeeded
            ? result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line => line.Split('\t'))
                .FirstOrDefault(f => f.Length == 2 && f[1] == _backupFilename)?[0]
            : null;
        if (recordedBy is not null)
        {
            return $"backup {_backupFilename} is recorded by Backup {recordedBy} (status.filename)";
        }

        var why = result.Succeeded ? "no Backup resource reports it" : $"the Backup resources could not be listed: {result.CombinedOutput.Trim()}";
        if (_acknowledged)
        {
            return $"backup {_backupFilename} not verified here ({why}); the operator acknowledged that it exists on the storage location";
        }

        throw new ActionFailedException(
            $"backup {_backupFilename} is not proven to exist: {why}. Check it on the storage location and name it in acknowledged_filename, " +
            "or fix backup_filename; nothing has been deleted.");
    }

    private ToolInvocation Query(ActionContext context) => KubeTools.Kubectl(
        context, _kubeconfig, "get", Backups, "-o", "jsonpath={range .items[*]}{.metadata.name}{\"\\t\"}{.status.filename}{\"\\n\"}{end}");
}
