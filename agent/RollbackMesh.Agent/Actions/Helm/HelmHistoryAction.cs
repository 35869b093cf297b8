using System.Globalization;
using RollbackMesh.Agent.Actions.Kubernetes;
using RollbackMesh.Agent.Processes;

namespace RollbackMesh.Agent.Actions.Helm;

/// <summary>
/// `helm history RELEASE -n NS` (read-only; its output tells the operator which revision to roll back to). Its dry run
/// runs it too, so the plan shows the revisions to choose from, as the Rancher rollback page does before `helm rollback`.
/// </summary>
internal sealed class HelmHistoryAction : AgentAction
{
    private readonly string _release;
    private readonly string _namespace;
    private readonly string _kubeconfig;

    /// <summary>Creates the action for validated names.</summary>
    public HelmHistoryAction(string release, string ns, string kubeconfig)
    {
        _release = release;
        _namespace = ns;
        _kubeconfig = kubeconfig;
    }

    /// <inheritdoc />
    public override string Kind => "helm_history";

    /// <inheritdoc />
    public override async Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var invocation = Invocation(context, _kubeconfig, _release, _namespace);
        var history = await QueryAsync(context, _kubeconfig, _release, _namespace, cancellationToken).ConfigureAwait(false);
        return $"{invocation.CommandLine}\n{history.Text}";
    }

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var result = await context.RunCheckedAsync(Invocation(context, _kubeconfig, _release, _namespace), cancellationToken).ConfigureAwait(false);
        return result.StandardOutput.TrimEnd();
    }

    /// <summary>The release's history now, for a dry run: the table, or why there is none.</summary>
    internal static async Task<History> QueryAsync(ActionContext context, string kubeconfig, string release, string ns, CancellationToken cancellationToken)
    {
        var result = await context.QueryAsync(Invocation(context, kubeconfig, release, ns), cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return new History($"(no history: {result.CombinedOutput.Trim()})", []);
        }

        // helm prints tab-separated, space-padded columns: REVISION, UPDATED, STATUS, CHART, APP VERSION, DESCRIPTION.
        var rows = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('\t').Select(c => c.Trim()).ToArray())
            .Where(cells => cells.Length >= 6 && uint.TryParse(cells[0], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .Select(cells => new Revision(uint.Parse(cells[0], CultureInfo.InvariantCulture), cells[2], cells[3], cells[4], cells[5]))
            .ToList();
        return new History(result.StandardOutput.TrimEnd(), rows);
    }

    private static ToolInvocation Invocation(ActionContext context, string kubeconfig, string release, string ns) =>
        KubeTools.Helm(context, kubeconfig, "history", release, "-n", ns);

    /// <summary>One row of `helm history`.</summary>
    internal sealed record Revision(uint Number, string Status, string Chart, string AppVersion, string Description);

    /// <summary>What `helm history` printed and its rows, oldest first.</summary>
    internal sealed record History(string Text, IReadOnlyList<Revision> Rows);
}
