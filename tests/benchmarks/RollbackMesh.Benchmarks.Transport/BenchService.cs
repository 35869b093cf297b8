using System.Globalization;
using Grpc.Core;

namespace RollbackMesh.Benchmarks.Transport;

/// <summary>Minimal handlers so the figures measure the transport, not the work.</summary>
internal sealed class BenchService : Bench.BenchBase
{
    private static readonly BenchReply Reply = new() { Status = 1 };

    public override Task<BenchReply> Unary(BenchRequest request, ServerCallContext context) => Task.FromResult(Reply);

    /// <summary>"source:N" → writes N messages; anything else is counted until the client half-closes, then acked.</summary>
    public override async Task Duplex(IAsyncStreamReader<BenchRequest> requestStream, IServerStreamWriter<BenchReply> responseStream, ServerCallContext context)
    {
        var count = 0;
        while (await requestStream.MoveNext())
        {
            if (requestStream.Current.Service.StartsWith("source:", StringComparison.Ordinal))
            {
                var n = int.Parse(requestStream.Current.Service["source:".Length..], CultureInfo.InvariantCulture);
                for (var i = 0; i < n; i++)
                {
                    await responseStream.WriteAsync(Reply);
                }

                return;
            }

            count++;
        }

        context.ResponseTrailers.Add("x-count", count.ToString(CultureInfo.InvariantCulture));
        await responseStream.WriteAsync(Reply);
    }
}
