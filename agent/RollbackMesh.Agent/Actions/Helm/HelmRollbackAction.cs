using System.Globalization;
using RollbackMesh.Agent.Actions.Kubernetes;

namespace RollbackMesh.Agent.Actions.Helm;

/// <summary>
/// `helm rollback RELEASE [REVISION] -n NS` (revision 0 = the previous one). Its dry run reads `helm history` and says
/// which revision (chart, app version) that is, so the plan shows what the rollback goes to and what to choose from.
/// </summary>
internal sealed class HelmRollbackAction : AgentAction
{
    private readonly string _release;
    private readonly string _namespace;
    private readonly uint _revision;
    private readonly string _kubeconfig;

    /// <summary>Creates the action for validated names.</summary>
    public HelmRollbackAction(string release, string ns, uint revision, string kubeconfig)
    {
        _release = release;
        _namespace = ns;
        _revision = revision;
        _kubeconfig = kubeconfig;
    }

    /// <inheritdoc />
    public override string Kind => "helm_rollback";

    /// <inheritdoc />
    public override async Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var command = KubeTools.Helm(context, _kubeconfig, Arguments()).CommandLine;
        var history = await HelmHistoryAction.QueryAsync(context, _kubeconfig, _release, _namespace, cancellationToken).ConfigureAwait(false);
        if (history.Rows.Count == 0)
        {
            return $"{command}\n{history.Text}";
        }

        // helm rollback without a revision (or 0) goes to the one before the current revision.
        var current = history.Rows[^1];
        var number = _revision == 0 ? current.Number - 1 : _revision;
        var target = history.Rows.FirstOrDefault(r => r.Number == number);
        var what = target is null
            ? $"revision {number} is not in the history below: the rollback would fail"
            : $"rolls back to revision {target.Number}: {target.Chart} (app {target.AppVersion}, {target.Description}); now at revision {current.Number}: {current.Chart}";
        return $"{command}\n{what}\n{history.Text}";
    }

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var result = await context.RunCheckedAsync(KubeTools.Helm(context, _kubeconfig, Arguments()), cancellationToken).ConfigureAwait(false);
        return result.StandardOutput.Trim();
    }

    private string[] Arguments() => _revision == 0
        ? ["rollback", _release, "-n", _namespace]
        : ["rollback", _release, _revision.ToString(CultureInfo.InvariantCulture), "-n", _namespace];
}
