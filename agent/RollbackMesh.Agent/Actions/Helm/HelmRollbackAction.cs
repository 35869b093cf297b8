using System.Globalization;
using RollbackMesh.Agent.Actions.Kubernetes;

namespace RollbackMesh.Agent.Actions.Helm;

/// <summary>
/// `helm rollback RELEASE [REVISION] -n NS` (revision 0 = the previous one). Its dry run reads `helm history` and says
/// which revision (chart, app version) that is, so the plan shows what the rollback goes to and what to choose from.
/// A rollback to the previous revision toggles: once done, the previous revision is the one rolled back from, so a
/// second attempt (a retry, a new run) would upgrade again. Hence the already-done check on helm's own history.
/// </summary>
internal sealed class HelmRollbackAction : AgentAction
{
    // helm describes the revision a rollback records as "Rollback to N" (pkg/action/rollback.go).
    private const string RollbackPrefix = "Rollback to ";

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

        if (IsRolledBack(history.Rows, _revision))
        {
            var latest = history.Rows[^1];
            return $"{command}\nalready done: revision {latest.Number} ({latest.Chart}) is the {latest.Description.ToLowerInvariant()}; the step will not roll back again\n{history.Text}";
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
    public override async Task<bool> IsAlreadyDoneAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var history = await HelmHistoryAction.QueryAsync(context, _kubeconfig, _release, _namespace, cancellationToken).ConfigureAwait(false);
        return IsRolledBack(history.Rows, _revision);
    }

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var result = await context.RunCheckedAsync(KubeTools.Helm(context, _kubeconfig, Arguments()), cancellationToken).ConfigureAwait(false);
        return result.StandardOutput.Trim();
    }

    /// <summary>
    /// True when the latest revision is a deployed rollback to <paramref name="requested"/>, or (0: the previous one)
    /// to the revision before the one it replaced; anything after it (an upgrade) makes a rollback due again.
    /// </summary>
    internal static bool IsRolledBack(IReadOnlyList<HelmHistoryAction.Revision> rows, uint requested)
    {
        if (rows.Count == 0 || rows[^1] is not { Status: "deployed" } latest || RollbackTarget(latest.Description) is not { } target)
        {
            return false;
        }

        return requested == 0 ? latest.Number >= 2 && target == latest.Number - 2 : target == requested;
    }

    private static uint? RollbackTarget(string description) =>
        description.StartsWith(RollbackPrefix, StringComparison.Ordinal)
        && uint.TryParse(description.AsSpan(RollbackPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var target)
            ? target
            : null;

    private string[] Arguments() => _revision == 0
        ? ["rollback", _release, "-n", _namespace]
        : ["rollback", _release, _revision.ToString(CultureInfo.InvariantCulture), "-n", _namespace];
}
