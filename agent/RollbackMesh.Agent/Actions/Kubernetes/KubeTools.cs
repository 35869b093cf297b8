using RollbackMesh.Agent.Processes;

namespace RollbackMesh.Agent.Actions.Kubernetes;

/// <summary>Builds kubectl and helm invocations against the node's own kubeconfig.</summary>
internal static class KubeTools
{
    /// <summary>kubectl --kubeconfig=K args...</summary>
    public static ToolInvocation Kubectl(ActionContext context, string kubeconfig, params string[] args) => new()
    {
        FileName = context.Options.Tools.Kubectl,
        Arguments = [$"--kubeconfig={Config(context, kubeconfig)}", .. args],
    };

    /// <summary>helm args... --kubeconfig K</summary>
    public static ToolInvocation Helm(ActionContext context, string kubeconfig, params string[] args) => new()
    {
        FileName = context.Options.Tools.Helm,
        Arguments = [.. args, "--kubeconfig", Config(context, kubeconfig)],
    };

    /// <summary>Polls <paramref name="condition"/> every poll interval until true or the timeout.</summary>
    public static async Task<bool> WaitAsync(ActionContext context, TimeSpan timeout, Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        var until = context.Time.GetUtcNow() + timeout;
        while (true)
        {
            if (await condition().ConfigureAwait(false))
            {
                return true;
            }

            if (context.Time.GetUtcNow() >= until)
            {
                return false;
            }

            await Task.Delay(context.Options.PollInterval, context.Time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Config(ActionContext context, string kubeconfig) =>
        kubeconfig.Length > 0 ? kubeconfig : context.Options.DefaultKubeconfig;
}
