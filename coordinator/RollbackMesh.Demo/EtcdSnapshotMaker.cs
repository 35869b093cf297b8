using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RollbackMesh.Demo;

/// <summary>
/// Makes a real etcd snapshot for the first server: starts the host's etcd on private loopback ports with a data
/// directory, writes a few K3s-like keys with etcdctl, saves a snapshot, and stops etcd. The data directory is kept:
/// it becomes the first server's current db/etcd, which the cluster reset then moves aside.
/// </summary>
internal static class EtcdSnapshotMaker
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Writes the snapshot to <paramref name="snapshotPath"/> and leaves etcd's data in <paramref name="dataDirectory"/>.</summary>
    /// <exception cref="DemoPrerequisiteException">etcd or etcdctl is not installed.</exception>
    public static async Task MakeAsync(string dataDirectory, string snapshotPath, CancellationToken cancellationToken)
    {
        var etcd = HostTools.Require("etcd", "etcd-server");
        var etcdctl = HostTools.Require("etcdctl", "etcd-client");
        var client = $"http://127.0.0.1:{FreePort()}";
        var peer = $"http://127.0.0.1:{FreePort()}";
        var start = new ProcessStartInfo(etcd) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[]
        {
            "--name", "default", "--data-dir", dataDirectory, "--listen-client-urls", client, "--advertise-client-urls", client,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster", $"default={peer}",
        })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {etcd}");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var deadline = DateTime.UtcNow + StartTimeout;
            while ((await EtcdctlAsync(etcdctl, client, ["endpoint", "health"], cancellationToken).ConfigureAwait(false)).ExitCode != 0)
            {
                if (DateTime.UtcNow > deadline || process.HasExited)
                {
                    throw new InvalidOperationException($"etcd on {client} did not become healthy within {StartTimeout.TotalSeconds:0} s");
                }

                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }

            foreach (var (key, value) in new[]
            {
                ("/registry/namespaces/default", "demo namespace"),
                ("/registry/deployments/default/web", "web: 3 replicas (written before the upgrade)"),
                ("/registry/configmaps/kube-system/k3s-version", K3sRelease.Previous.Version),
            })
            {
                await CheckedAsync(etcdctl, client, ["put", key, value], cancellationToken).ConfigureAwait(false);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(snapshotPath)!);
            await CheckedAsync(etcdctl, client, ["snapshot", "save", snapshotPath], cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task CheckedAsync(string etcdctl, string endpoint, string[] args, CancellationToken ct)
    {
        var (code, output) = await EtcdctlAsync(etcdctl, endpoint, args, ct).ConfigureAwait(false);
        if (code != 0)
        {
            throw new InvalidOperationException($"etcdctl {string.Join(' ', args)} exited {code}: {output}");
        }
    }

    private static async Task<(int ExitCode, string Output)> EtcdctlAsync(string etcdctl, string endpoint, string[] args, CancellationToken ct)
    {
        var start = new ProcessStartInfo(etcdctl) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["ETCDCTL_API"] = "3";
        start.ArgumentList.Add("--endpoints=" + endpoint);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {etcdctl}");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct).ConfigureAwait(false);
        return (process.ExitCode, (await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false)));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
