using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Grpc.Health.V1;
using RollbackMesh.Coordinator.Security;
using RollbackMesh.FunctionalTests.Infrastructure;
using RollbackMesh.Protos.Channels;
using Xunit;
using Xunit.Abstractions;

namespace RollbackMesh.FunctionalTests.Security;

/// <summary>
/// Hostile input against a real <c>rollbackmesh-coordinator serve</c> process on its TLS port (issue 16 item 7): thousands
/// of connections that finish TLS and the HTTP/2 preface and then sit idle, and gRPC messages whose length prefix
/// claims gigabytes. The coordinator must keep answering while they are held, refuse the oversized messages without
/// buffering them, and give the memory back after they close. The figures are printed as "figure NAME VALUE" lines,
/// which tests/run.sh lifts out of the test results into the CI output.
/// </summary>
public sealed class HostileInputProcessTests(ITestOutputHelper log) : IDisposable
{
    // Spread over source addresses so the default per-address limit (256) does not refuse them before TLS.
    private const int IdleConnections = 2_000;
    private const int SourceAddresses = 10;
    private const int OversizedMessages = 200;

    // Memory the held connections may leave behind once closed and trimmed (ConnectionMemoryTrim).
    private const long RetainedLimitBytes = 64L * 1024 * 1024;

    // The client connection preface (RFC 9113 3.4) followed by an empty SETTINGS frame.
    private static readonly byte[] Preface = [.. "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8, 0, 0, 0, 4, 0, 0, 0, 0, 0];

    private readonly string _data = Directory.CreateTempSubdirectory("rbm-hostile-").FullName;

    [Fact]
    public async Task IdleFloodAndOversizedLengthPrefixes_CoordinatorKeepsServingAndGivesMemoryBack()
    {
        using (var init = TestProcess.Start("init", BuiltExecutables.Coordinator, ["init", "--data", _data]))
        {
            Assert.Equal(0, await init.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        }

        using var serve = TestProcess.Start("coordinator", BuiltExecutables.Coordinator, ["serve", "--listen", "127.0.0.1:0", "--data", _data]);
        try
        {
            var address = new Uri((await serve.WaitForStdoutLineAsync(l => l.StartsWith("listening on ", StringComparison.Ordinal), TimeSpan.FromSeconds(60)))["listening on ".Length..]);
            using var ca = X509CertificateLoader.LoadCertificateFromFile(new SecurityPaths(_data).CaCertificate);
            for (var i = 0; i < 20; i++)
            {
                await AssertServingAsync(address, ca);
            }

            var before = Rss(serve.Id);

            var held = await OpenIdleAsync(address.Port);
            Assert.Equal(IdleConnections, held.Count);
            await AssertServingAsync(address, ca);
            var whileHeld = Rss(serve.Id);
            foreach (var connection in held)
            {
                connection.Dispose();
            }

            var refused = await SendOversizedAsync(address);
            Assert.Equal(OversizedMessages, refused);
            await AssertServingAsync(address, ca);

            var after = await RssSettledAsync(serve.Id, before, TimeSpan.FromSeconds(40));
            Figure("hostile_idle_connections_held", IdleConnections);
            Figure("hostile_oversized_prefixes_refused", refused);
            Figure("hostile_rss_before_mib", Mib(before));
            Figure("hostile_rss_held_mib", Mib(whileHeld));
            Figure("hostile_rss_after_mib", Mib(after));
            Assert.False(serve.HasExited, "The coordinator exited under hostile input.");
            Assert.True(after - before <= RetainedLimitBytes,
                $"RSS {Mib(after):0.0} MiB after the flood closed, {Mib(after - before):0.0} MiB over the {Mib(before):0.0} MiB before it (limit {Mib(RetainedLimitBytes):0} MiB).");
        }
        finally
        {
            log.WriteLine("--- coordinator ---\n" + serve.Output);
        }
    }

    private static async Task<List<SslStream>> OpenIdleAsync(int port)
    {
        var streams = new List<SslStream>(IdleConnections);
        using var gate = new SemaphoreSlim(16);
        var opening = Enumerable.Range(0, IdleConnections).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(IPAddress.Parse($"127.0.1.{1 + (i % SourceAddresses)}"), 0));
                await socket.ConnectAsync(IPAddress.Loopback, port);
                var tls = new SslStream(new NetworkStream(socket, ownsSocket: true));
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = "localhost",
                    ApplicationProtocols = [SslApplicationProtocol.Http2],
                    RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null,
                });
                await tls.WriteAsync(Preface);
                lock (streams)
                {
                    streams.Add(tls);
                }
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(opening);
        return streams;
    }

    /// <summary>
    /// Sends gRPC messages whose 5-byte prefix declares 64 MiB (over the 4 MiB limit: RESOURCE_EXHAUSTED) or 4 GiB (over
    /// what a length can be: grpc-dotnet fails the read with "Message too large", UNKNOWN); counts the calls refused
    /// with a non-OK gRPC status.
    /// </summary>
    private static async Task<int> SendOversizedAsync(Uri address)
    {
        using var handler = new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = (_, _, _, _) => true } };
        using var client = new HttpMessageInvoker(handler);
        var refused = 0;
        for (var i = 0; i < OversizedMessages; i++)
        {
            var body = new byte[5 + 64];
            BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(1), i % 2 == 0 ? uint.MaxValue : 64u * 1024 * 1024);
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address, "/grpc.health.v1.Health/Check"))
            {
                Version = new Version(2, 0),
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                Content = new ByteArrayContent(body),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
            request.Headers.TryAddWithoutValidation("te", "trailers");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            using var response = await client.SendAsync(request, timeout.Token);
            await response.Content.ReadAsByteArrayAsync(timeout.Token);
            var status = response.TrailingHeaders.TryGetValues("grpc-status", out var values) ? values.First()
                : response.Headers.TryGetValues("grpc-status", out var early) ? early.First() : null;
            if (status is not null and not "0")
            {
                refused++;
            }
        }

        return refused;
    }

    private static async Task AssertServingAsync(Uri address, X509Certificate2 ca)
    {
        using var channel = RollbackMeshChannel.Create(address, new ChannelSettings { PinnedCa = ca });
        var response = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(30));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, response.Status);
    }

    /// <summary>RSS once it is back within the limit of <paramref name="before"/>, or the last reading at the deadline.</summary>
    private static async Task<long> RssSettledAsync(int pid, long before, TimeSpan within)
    {
        var giveUp = DateTime.UtcNow + within;
        var rss = Rss(pid);
        while (rss - before > RetainedLimitBytes && DateTime.UtcNow < giveUp)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            rss = Rss(pid);
        }

        return rss;
    }

    private static long Rss(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    private static double Mib(long bytes) => bytes / (1024.0 * 1024.0);

    private void Figure(string name, double value) =>
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"figure {name} {value:0.#}"));

    public void Dispose() => Directory.Delete(_data, recursive: true);
}
