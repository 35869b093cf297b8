using Grpc.Health.V1;
using RollbackMesh.Transport.Tests.Infrastructure;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace RollbackMesh.Transport.Tests.Health;

/// <summary>The grpc.health.v1 service (RollbackMesh.Transport.Health, in RollbackMesh.Transport.Server) over the real transport.</summary>
public sealed class HealthServiceTests : IAsyncLifetime
{
    private TestServer _server = null!;
    private GrpcChannel _channel = null!;

    public async Task InitializeAsync()
    {
        _server = await TestServer.StartAsync();
        _channel = GrpcChannel.ForAddress(_server.Address);
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Check_OverallServer_Serving()
    {
        var response = await _channel.UnaryAsync(HealthMethods.Check, new HealthCheckRequest());

        Assert.Equal(ServingStatus.Serving, response.Status);
    }

    [Fact]
    public async Task Check_UnknownService_NotFound()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() =>
            _channel.UnaryAsync(HealthMethods.Check, new HealthCheckRequest { Service = "rollbackmesh.v1.Nope" }));

        Assert.Equal(StatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task Check_ServiceSetNotServing_NotServing()
    {
        _server.Health.SetStatus("rollbackmesh.v1.AgentHub", ServingStatus.NotServing);

        var response = await _channel.UnaryAsync(HealthMethods.Check, new HealthCheckRequest { Service = "rollbackmesh.v1.AgentHub" });

        Assert.Equal(ServingStatus.NotServing, response.Status);
    }

    [Fact]
    public async Task Watch_StatusChanges_StreamsCurrentThenEachChange()
    {
        const string service = "rollbackmesh.v1.Operator";
        using var call = _channel.ServerStreaming(HealthMethods.Watch, new HealthCheckRequest { Service = service });

        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal(ServingStatus.ServiceUnknown, call.ResponseStream.Current.Status);

        _server.Health.SetStatus(service, ServingStatus.Serving);
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal(ServingStatus.Serving, call.ResponseStream.Current.Status);

        _server.Health.SetStatus(service, ServingStatus.NotServing);
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal(ServingStatus.NotServing, call.ResponseStream.Current.Status);

        _server.Health.ClearStatus(service);
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal(ServingStatus.ServiceUnknown, call.ResponseStream.Current.Status);
    }
}
