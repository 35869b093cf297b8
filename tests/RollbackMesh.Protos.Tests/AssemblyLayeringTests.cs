using System.Reflection;
using Grpc.Net.Client;
using RollbackMesh.Protos.Channels;

namespace RollbackMesh.Protos.Tests;

/// <summary>
/// The agent dials out only and runs on Microsoft.NETCore.App alone: the contracts, the shared channel configuration
/// and grpc-dotnet's client must not use ASP.NET Core, which only the coordinator takes (Grpc.AspNetCore).
/// </summary>
public sealed class AssemblyLayeringTests
{
    [Fact]
    public void GetReferencedAssemblies_Protos_NoAspNetCore() =>
        Assert.Empty(AspNetCoreReferences(typeof(RollbackMeshChannel).Assembly));

    [Fact]
    public void GetReferencedAssemblies_GrpcNetClient_NoAspNetCore() =>
        Assert.Empty(AspNetCoreReferences(typeof(GrpcChannel).Assembly));

    [Fact]
    public void GetReferencedAssemblies_ServerBaseClasses_OnlyGrpcCoreApi()
    {
        // The generated AgentHubBase/OperatorBase come with the contracts; they need Grpc.Core.Api, not the server.
        var names = typeof(RollbackMeshChannel).Assembly.GetReferencedAssemblies().Select(n => n.Name).ToList();

        Assert.Contains("Grpc.Core.Api", names);
        Assert.DoesNotContain("Grpc.AspNetCore.Server", names);
    }

    private static string[] AspNetCoreReferences(Assembly assembly) =>
        assembly.GetReferencedAssemblies()
            .Select(name => name.Name ?? string.Empty)
            .Where(name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal))
            .ToArray();
}
