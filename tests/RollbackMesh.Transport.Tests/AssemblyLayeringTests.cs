using System.Reflection;
using Grpc.Health.V1;

namespace RollbackMesh.Transport.Tests;

/// <summary>
/// The agent dials out only and runs on Microsoft.NETCore.App alone: the client transport and the contracts it loads
/// must not use ASP.NET Core, which lives in RollbackMesh.Transport.Server.
/// </summary>
public sealed class AssemblyLayeringTests
{
    [Fact]
    public void GetReferencedAssemblies_Transport_NoAspNetCore() =>
        Assert.Empty(AspNetCoreReferences(typeof(GrpcChannel).Assembly));

    [Fact]
    public void GetReferencedAssemblies_Protos_NoAspNetCoreNorServer()
    {
        var assembly = typeof(HealthMethods).Assembly;

        Assert.Empty(AspNetCoreReferences(assembly));
        Assert.DoesNotContain(assembly.GetReferencedAssemblies(), name => name.Name == "RollbackMesh.Transport.Server");
    }

    [Fact]
    public void GetReferencedAssemblies_TransportServer_UsesAspNetCore() =>
        // The check above can fail: the server assembly, built the same way, does reference ASP.NET Core.
        Assert.NotEmpty(AspNetCoreReferences(typeof(ServerCallContext).Assembly));

    private static string[] AspNetCoreReferences(Assembly assembly) =>
        assembly.GetReferencedAssemblies()
            .Select(name => name.Name ?? string.Empty)
            .Where(name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal))
            .ToArray();
}
