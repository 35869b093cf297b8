using System.Diagnostics;
using System.Globalization;
using System.Net;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using RollbackMesh.Benchmarks.Transport;
using RollbackMesh.Coordinator.Hosting;
using RollbackMesh.Protos.Channels;

// Loopback figures for gRPC as configured here (grpc-dotnet): the coordinator's server setup and the agent's channel
// in one process over h2c.
// Usage: dotnet run -c Release --project tests/benchmarks/RollbackMesh.Benchmarks.Transport -- [seconds-per-phase] [stream-messages]
//        ... -- flood [connections] [seconds-to-settle]: the real coordinator's RSS under a TLS connection flood (ConnectionFlood).
if (args is ["flood", ..])
{
    return await ConnectionFlood.RunAsync(
        args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000,
        TimeSpan.FromSeconds(args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 60));
}

var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 5;
var streamMessages = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200_000;
var phase = TimeSpan.FromSeconds(seconds);

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.Services.AddCoordinatorGrpc();
builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0, l => l.ConfigureGrpcListener()));
await using var app = builder.Build();
app.MapGrpcService<BenchService>();
await app.StartAsync();
using var channel = RollbackMeshChannel.Create(new Uri(app.Urls.Single()));
var client = new Bench.BenchClient(channel);
var request = new BenchRequest { Service = "bench" };

Console.WriteLine($"grpc-dotnet loopback benchmark ({Environment.ProcessorCount} cores, {phase.TotalSeconds:0.#} s per phase, h2c)");
for (var i = 0; i < 2000; i++)
{
    await client.UnaryAsync(request);
}

var latencies = new List<double>();
var watch = Stopwatch.StartNew();
while (watch.Elapsed < phase)
{
    var start = Stopwatch.GetTimestamp();
    await client.UnaryAsync(request);
    latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
}

latencies.Sort();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"sequential unary:        {latencies.Count / watch.Elapsed.TotalSeconds,10:N0} calls/s   p50 {Percentile(latencies, 0.50):0.000} ms   p99 {Percentile(latencies, 0.99):0.000} ms"));

long concurrentCalls = 0;
watch.Restart();
await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(async () =>
{
    while (watch.Elapsed < phase)
    {
        await client.UnaryAsync(request);
        Interlocked.Increment(ref concurrentCalls);
    }
})));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"64-concurrent unary:     {concurrentCalls / watch.Elapsed.TotalSeconds,10:N0} calls/s"));

using (var upload = client.Duplex())
{
    watch.Restart();
    for (var i = 0; i < streamMessages; i++)
    {
        await upload.RequestStream.WriteAsync(request);
    }

    await upload.RequestStream.CompleteAsync();
    while (await upload.ResponseStream.MoveNext())
    {
    }

    var elapsed = watch.Elapsed;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"bidi client->server:     {streamMessages / elapsed.TotalSeconds,10:N0} msgs/s ({upload.GetTrailers().GetValue("x-count")} of {streamMessages:N0} counted by the server, one stream)"));
}

using (var download = client.Duplex())
{
    watch.Restart();
    await download.RequestStream.WriteAsync(new BenchRequest { Service = "source:" + streamMessages.ToString(CultureInfo.InvariantCulture) });
    await download.RequestStream.CompleteAsync();
    var count = 0;
    while (await download.ResponseStream.MoveNext())
    {
        count++;
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"bidi server->client:     {count / watch.Elapsed.TotalSeconds,10:N0} msgs/s ({count:N0} messages, one stream)"));
}

await app.StopAsync();
return 0;

static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * p))];
