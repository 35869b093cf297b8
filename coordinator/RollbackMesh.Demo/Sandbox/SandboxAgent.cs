using RollbackMesh.Agent.Hosting;

namespace RollbackMesh.Demo.Sandbox;

/// <summary>
/// `rollbackmesh-demo sandbox-agent --root DIR [--config FILE]`: the real agent (the agent project's AgentProgram, its
/// configuration, connection, journal and actions) as a simulated node whose root is DIR: the sandbox services replace
/// the step executor and systemd through the agent's seams (<see cref="SandboxServiceCollectionExtensions"/>). The demo
/// and the fleet tests start one per sandbox node; the packaged rollbackmesh-agent has no sandbox mode.
/// </summary>
internal static class SandboxAgent
{
    /// <summary>The first argument of rollbackmesh-demo that selects this mode.</summary>
    public const string Command = "sandbox-agent";

    private const string Usage = "usage: rollbackmesh-demo sandbox-agent --root DIR [--config FILE]";

    /// <summary>The arguments of rollbackmesh-demo that run the sandbox agent of the node at <paramref name="root"/>.</summary>
    public static IReadOnlyList<string> Arguments(string root, string configPath) => [Command, "--root", root, "--config", configPath];

    /// <summary>Runs the agent until SIGTERM; <paramref name="args"/> follow <see cref="Command"/>. Exit codes are the agent's.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        string? root = null;
        var agentArgs = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--root" && i + 1 < args.Count)
            {
                root = args[++i];
            }
            else
            {
                agentArgs.Add(args[i]);
            }
        }

        if (string.IsNullOrEmpty(root))
        {
            await Console.Error.WriteLineAsync("rollbackmesh-demo sandbox-agent: --root DIR is required\n" + Usage).ConfigureAwait(false);
            return AgentExitCodes.Usage;
        }

        var sandbox = new SandboxRoot(root);
        return await AgentProgram.RunAsync(agentArgs, services => services.AddSandbox(sandbox)).ConfigureAwait(false);
    }
}
