using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace RollbackMesh.Benchmarks.Transport;

/// <summary>
/// The coordinator's memory under a connection flood (issue 17 item 5): a real <c>rollbackmesh-coordinator serve</c>
/// over TLS, N connections that complete the TLS handshake and send the HTTP/2 preface and then hold, all closed, and
/// the process's RSS (/proc/PID/status VmRSS) before, while held, and each second after. The per-address limit is
/// raised to N so every connection is really held (the worst case for memory; with the default 256 most would be
/// refused before TLS).
/// </summary>
internal static class ConnectionFlood
{
    // The client connection preface (RFC 9113 3.4) followed by an empty SETTINGS frame.
    private static readonly byte[] Preface =
        [.. "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8, 0, 0, 0, 4, 0, 0, 0, 0, 0];

    public static async Task<int> RunAsync(int connections, TimeSpan settle)
    {
        var bin = AppContext.BaseDirectory;
        var data = Directory.CreateTempSubdirectory("rbm-flood-").FullName;
        try
        {
            await RunToEndAsync(Path.Combine(bin, "rollbackmesh-coordinator.dll"), "init", "--data", data);
            using var coordinator = Start(Path.Combine(bin, "rollbackmesh-coordinator.dll"), "serve", "--listen", "127.0.0.1:0", "--data", data,
                "--max-connections-per-peer", connections.ToString(CultureInfo.InvariantCulture));
            var port = await ListeningPortAsync(coordinator);
            var endPoint = new IPEndPoint(IPAddress.Loopback, port);

            // Warm up (JIT, the TLS stack, pools) with a few connections so the baseline is the steady state.
            foreach (var warm in await OpenAsync(endPoint, 20))
            {
                warm.Dispose();
            }

            await Task.Delay(TimeSpan.FromSeconds(3));
            var before = Rss(coordinator);
            var watch = Stopwatch.StartNew();
            var held = await OpenAsync(endPoint, connections);
            var opened = watch.Elapsed;
            await Task.Delay(TimeSpan.FromSeconds(1));
            var during = Rss(coordinator);
            foreach (var connection in held)
            {
                connection.Dispose();
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"TLS connection flood on the real coordinator ({Environment.ProcessorCount} cores): {held.Count:N0} held connections opened in {opened.TotalSeconds:0.0} s"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RSS before   {Mib(before),7:0.0} MiB"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RSS held     {Mib(during),7:0.0} MiB  (+{Mib(during - before):0.0})"));
            var after = during;
            var closed = Stopwatch.StartNew();
            while (closed.Elapsed < settle)
            {
                await Task.Delay(TimeSpan.FromSeconds(5));
                after = Rss(coordinator);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"RSS +{closed.Elapsed.TotalSeconds,3:0} s    {Mib(after),7:0.0} MiB  (+{Mib(after - before):0.0} over before)"));
            }

            var withinTarget = after - before <= 50L * 1024 * 1024;
            Console.WriteLine(withinTarget ? "within 50 MiB of the start: yes" : "within 50 MiB of the start: NO");
            coordinator.Kill();
            return withinTarget ? 0 : 1;
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<List<SslStream>> OpenAsync(IPEndPoint endPoint, int count)
    {
        var streams = new List<SslStream>(count);
        using var gate = new SemaphoreSlim(32);
        var tasks = Enumerable.Range(0, count).Select(async _ =>
        {
            await gate.WaitAsync();
            try
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(endPoint);
                // A flooder trusts anything; the coordinator's own CLI and agents pin the CA.
                var tls = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false, (_, _, _, _) => true);
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = "localhost",
                    ApplicationProtocols = [SslApplicationProtocol.Http2],
                });
                await tls.WriteAsync(Preface);
                await tls.FlushAsync();
                return tls;
            }
            finally
            {
                gate.Release();
            }
        });
        streams.AddRange(await Task.WhenAll(tasks));
        return streams;
    }

    private static long Rss(Process process)
    {
        foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        throw new InvalidOperationException("No VmRSS in /proc/PID/status.");
    }

    private static double Mib(long bytes) => bytes / (1024.0 * 1024.0);

    private static Process Start(string dll, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task RunToEndAsync(string dll, params string[] args)
    {
        using var process = Start(dll, args);
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"rollbackmesh-coordinator {args[0]} exited {process.ExitCode}.");
        }
    }

    private static async Task<int> ListeningPortAsync(Process coordinator)
    {
        const string prefix = "listening on ";
        while (await coordinator.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return new Uri(line[prefix.Length..]).Port;
            }
        }

        throw new InvalidOperationException("The coordinator exited before listening.");
    }
}
