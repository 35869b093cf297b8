using Grpc.Health.V1;
using RollbackMesh.Protos.Channels;
using Grpc.Core;
using Xunit;

namespace RollbackMesh.Coordinator.Tests.Hosting;

public sealed class HealthEndpointTests
{
    [Theory]
    [InlineData("")]
    [InlineData("rollbackmesh.v1.AgentHub")]
    [InlineData("rollbackmesh.v1.Operator")]
    public async Task Check_CoordinatorServices_Serving(string service)
    {
        await using var coordinator = await TestCoordinator.StartAsync();

        var response = await new Health.HealthClient(coordinator.Channel).CheckAsync(new HealthCheckRequest { Service = service });

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Check_UnknownService_NotFound()
    {
        await using var coordinator = await TestCoordinator.StartAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new Health.HealthClient(coordinator.Channel).CheckAsync(new HealthCheckRequest { Service = "no.Such" }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task Watch_Shutdown_ReportsNotServing()
    {
        var coordinator = await TestCoordinator.StartAsync();
        // A channel of its own: disposing the coordinator disposes its channel, and the watch must outlive that.
        using var channel = RollbackMeshChannel.Create(coordinator.Address);
        using var watch = new Health.HealthClient(channel).Watch(new HealthCheckRequest { Service = "rollbackmesh.v1.AgentHub" });
        Assert.True(await watch.ResponseStream.MoveNext());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, watch.ResponseStream.Current.Status);

        var stopping = coordinator.DisposeAsync().AsTask();

        Assert.True(await watch.ResponseStream.MoveNext());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, watch.ResponseStream.Current.Status);
        await stopping;
    }
}
