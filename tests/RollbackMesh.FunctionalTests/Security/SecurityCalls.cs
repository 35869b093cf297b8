using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using RollbackMesh.Coordinator.Security;
using RollbackMesh.V1;

namespace RollbackMesh.FunctionalTests.Security;

/// <summary>Calls the tests make: an agent's Hello, and the coordinator's local security commands.</summary>
internal static class SecurityCalls
{
    /// <summary>Opens AgentHub.Connect with <paramref name="client"/>, says Hello as <paramref name="node"/>, returns the first reply.</summary>
    public static async Task<CoordinatorMessage> HelloAsync(SecureCoordinator coordinator, X509Certificate2? client, string node)
    {
        using var channel = coordinator.Channel(client);
        using var call = new AgentHub.AgentHubClient(channel).Connect();
        await call.RequestStream.WriteAsync(new AgentMessage { Hello = new Hello { NodeName = node, AgentVersion = "test" } });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        if (!await call.ResponseStream.MoveNext(timeout.Token))
        {
            throw new InvalidOperationException("The stream ended without a reply.");
        }

        return call.ResponseStream.Current;
    }

    /// <summary>Runs one of rollbackmesh-coordinator's security commands in-process; returns its exit code.</summary>
    public static Task<int> RunCommandAsync(params string[] args)
    {
        var root = new RootCommand("test");
        foreach (var command in SecurityCommands.All())
        {
            root.Subcommands.Add(command);
        }

        return root.Parse(args).InvokeAsync();
    }
}
