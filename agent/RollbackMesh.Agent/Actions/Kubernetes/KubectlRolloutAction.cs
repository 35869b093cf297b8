using System.Globalization;
using System.Text;
using RollbackMesh.Agent.Actions.Filesystem;

namespace RollbackMesh.Agent.Actions.Kubernetes;

/// <summary>
/// `kubectl rollout undo` or `kubectl rollout status` of a DaemonSet/Deployment. Undo toggles: it goes to the
/// revision before the current one, and after it that is the revision rolled back from, so a second attempt (a retry,
/// a new run) would roll the upgrade out again. The undo therefore records the revision it produced, and a repeat that
/// finds the resource still at that revision is already done.
/// </summary>
internal sealed class KubectlRolloutAction : AgentAction
{
    private readonly string _resource;
    private readonly string _namespace;
    private readonly bool _undo;
    private readonly string _kubeconfig;

    /// <summary>Creates the action for a validated resource and namespace.</summary>
    public KubectlRolloutAction(string resource, string ns, bool undo, string kubeconfig)
    {
        _resource = resource;
        _namespace = ns;
        _undo = undo;
        _kubeconfig = kubeconfig;
    }

    /// <inheritdoc />
    public override string Kind => "kubectl_rollout";

    /// <inheritdoc />
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult(KubeTools.Kubectl(context, _kubeconfig, Arguments()).CommandLine);

    /// <inheritdoc />
    public override async Task<bool> IsAlreadyDoneAsync(ActionContext context, CancellationToken cancellationToken)
    {
        if (!_undo || ReadRecord(context) is not { } recorded)
        {
            return false;
        }

        // Anything rolled out since (a new revision) makes the undo due again.
        return await CurrentRevisionAsync(context, cancellationToken).ConfigureAwait(false) == recorded.To;
    }

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var from = _undo ? await CurrentRevisionAsync(context, cancellationToken).ConfigureAwait(false) : null;
        var result = await context.RunCheckedAsync(KubeTools.Kubectl(context, _kubeconfig, Arguments()), cancellationToken).ConfigureAwait(false);
        if (_undo && await CurrentRevisionAsync(context, cancellationToken).ConfigureAwait(false) is { } to)
        {
            WriteRecord(context, new UndoRecord(from, to));
        }

        return result.StandardOutput.Trim().Split('\n')[^1];
    }

    private string[] Arguments() => _undo
        ? ["rollout", "undo", _resource, "-n", _namespace]
        : ["rollout", "status", _resource, "-n", _namespace];

    // `kubectl rollout history` lists REVISION and CHANGE-CAUSE; the controller renumbers the revision an undo goes to
    // as the highest, so the highest listed is the current one (Deployments and DaemonSets alike).
    private async Task<uint?> CurrentRevisionAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var result = await context.QueryAsync(KubeTools.Kubectl(context, _kubeconfig, "rollout", "history", _resource, "-n", _namespace), cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return null;
        }

        var revisions = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', 2)[0])
            .Select(first => uint.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : (uint?)null)
            .Where(n => n is not null)
            .ToList();
        return revisions.Count == 0 ? null : revisions.Max();
    }

    // Kept with the backups: the record is what tells a later attempt that this undo already happened.
    private string RecordPath(ActionContext context) =>
        Path.Combine(context.Options.BackupDirectory, "rollout-undo", $"{_namespace}_{_resource.Replace('/', '_')}");

    private UndoRecord? ReadRecord(ActionContext context)
    {
        var path = RecordPath(context);
        if (!File.Exists(path))
        {
            return null;
        }

        var fields = File.ReadAllLines(path)
            .Select(line => line.Split('=', 2))
            .Where(kv => kv.Length == 2)
            .ToDictionary(kv => kv[0], kv => kv[1], StringComparer.Ordinal);
        return fields.TryGetValue("to", out var to) && uint.TryParse(to, NumberStyles.None, CultureInfo.InvariantCulture, out var revision)
            ? new UndoRecord(fields.TryGetValue("from", out var from) && uint.TryParse(from, NumberStyles.None, CultureInfo.InvariantCulture, out var f) ? f : null, revision)
            : null;
    }

    private void WriteRecord(ActionContext context, UndoRecord record)
    {
        var path = RecordPath(context);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var text = string.Create(CultureInfo.InvariantCulture, $"resource={_resource}\nnamespace={_namespace}\nfrom={record.From}\nto={record.To}\n");
        AtomicFile.Write(path, Encoding.UTF8.GetBytes(text));
    }

    /// <summary>The revision an undo started from (null when unknown) and the one it left the resource at.</summary>
    private sealed record UndoRecord(uint? From, uint To);
}
