using System.Globalization;
using Grpc.Health.V1;
using Microsoft.AspNetCore.Routing;
using RollbackMesh.Transport;

/// <summary>Minimal handlers so the figures measure the transport, not the work.</summary>
internal static class BenchService
{
    public static readonly Method<HealthCheckRequest, HealthCheckResponse> Unary = new(MethodType.Unary, "bench.Bench", "Unary");

    public static readonly Method<HealthCheckRequest, HealthCheckResponse> Duplex = new(MethodType.DuplexStreaming, "bench.Bench", "Duplex");

    private static readonly HealthCheckResponse Reply = new() { Status = HealthCheckResponse.Types.ServingStatus.Serving };

    public static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGrpcService()
            .Unary(Unary, (_, _) => Task.FromResult(Reply))
            .Duplex(Duplex, DuplexAsync);

    /// <summary>"source:N" → writes N messages; anything else is counted until the client half-closes, then acked.</summary>
    private static async Task DuplexAsync(
        IAsyncStreamReader<HealthCheckRequest> requests, IServerStreamWriter<HealthCheckResponse> responses, ServerCallContext context)
    {
        var count = 0;
        while (await requests.MoveNext())
        {
            if (requests.Current.Service.StartsWith("source:", StringComparison.Ordinal))
            {
                var n = int.Parse(requests.Current.Service["source:".Length..], CultureInfo.InvariantCulture);
                for (var i = 0; i < n; i++)
                {
                    await responses.WriteAsync(Reply);
                }

                return;
            }

            count++;
        }

        context.ResponseTrailers.Add("x-count", count.ToString(CultureInfo.InvariantCulture));
        await responses.WriteAsync(Reply);
    }
}
