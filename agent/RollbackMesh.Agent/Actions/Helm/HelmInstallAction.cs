using System.Globalization;
using RollbackMesh.Agent.Actions.Kubernetes;

namespace RollbackMesh.Agent.Actions.Helm;

/// <summary>
/// `helm upgrade --install RELEASE CHART -n NS [--create-namespace] [-f VALUES] --wait --timeout Ns` from a chart
/// archive in the node's artifacts. Used where `helm rollback` cannot work: after rancher-cleanup, which deletes
/// the Helm release secrets in the cattle namespaces, rancher-backup and the previous Rancher are installed again.
/// </summary>
/// <remarks>
/// Never "already done": an upgrade of the same chart and values is harmless (a new revision), while a release that
/// exists proves nothing about its chart. Verified by `helm status` reporting the release deployed.
/// </remarks>
internal sealed class HelmInstallAction : AgentAction
{
    private readonly string _release;
    private readonly string _namespace;
    private readonly string _chart;
    private readonly string _values;
    private readonly bool _createNamespace;
    private readonly TimeSpan _timeout;
    private readonly string _kubeconfig;

    /// <summary>Creates the action for validated names and confined paths (<paramref name="values"/> empty: none).</summary>
    public HelmInstallAction(string release, string ns, string chart, string values, bool createNamespace, TimeSpan timeout, string kubeconfig)
    {
        _release = release;
        _namespace = ns;
        _chart = chart;
        _values = values;
        _createNamespace = createNamespace;
        _timeout = timeout;
        _kubeconfig = kubeconfig;
    }

    /// <inheritdoc />
    public override string Kind => "helm_install";

    /// <inheritdoc />
    public override Task<string> DescribeAsync(ActionContext context, CancellationToken cancellationToken) =>
        Task.FromResult(KubeTools.Helm(context, _kubeconfig, Arguments()).CommandLine);

    /// <inheritdoc />
    public override async Task<string> ExecuteAsync(ActionContext context, CancellationToken cancellationToken)
    {
        // helm reports a missing chart or values file itself, but only after contacting the cluster; say it plainly.
        if (!File.Exists(_chart) && !Directory.Exists(_chart))
        {
            throw new ActionFailedException($"chart {_chart} does not exist: copy the chart archive into the node's artifacts first");
        }

        if (_values.Length > 0 && !File.Exists(_values))
        {
            throw new ActionFailedException($"values file {_values} does not exist");
        }

        var result = await context.RunCheckedAsync(KubeTools.Helm(context, _kubeconfig, Arguments()), cancellationToken).ConfigureAwait(false);
        return result.StandardOutput.Trim();
    }

    /// <inheritdoc />
    public override async Task<bool> VerifyAsync(ActionContext context, CancellationToken cancellationToken)
    {
        var status = await context.QueryAsync(KubeTools.Helm(context, _kubeconfig, "status", _release, "-n", _namespace), cancellationToken)
            .ConfigureAwait(false);
        return status.Succeeded && status.StandardOutput.Contains("STATUS: deployed", StringComparison.Ordinal);
    }

    private string[] Arguments()
    {
        List<string> args = ["upgrade", "--install", _release, _chart, "-n", _namespace];
        if (_createNamespace)
        {
            args.Add("--create-namespace");
        }

        if (_values.Length > 0)
        {
            args.AddRange(["-f", _values]);
        }

        args.AddRange(["--wait", "--timeout", _timeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + "s"]);
        return [.. args];
    }
}
