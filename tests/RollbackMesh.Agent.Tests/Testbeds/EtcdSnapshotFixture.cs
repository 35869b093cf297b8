using System.Diagnostics;

namespace RollbackMesh.Agent.Tests.Testbeds;

/// <summary>Runs a real etcd on private loopback ports once, writes keys and saves a snapshot with etcdctl.</summary>
public sealed class EtcdSnapshotFixture : IDisposable
{
    private readonly TempRoot _root = new("rm-etcd-");

    public EtcdSnapshotFixture()
    {
        var client = FreePort.Next();
        var peer = FreePort.Next();
        var endpoint = $"http://127.0.0.1:{client}";
        var startInfo = new ProcessStartInfo("/usr/bin/etcd")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "--data-dir", _root["data"], "--listen-client-urls", endpoint, "--advertise-client-urls", endpoint,
            "--listen-peer-urls", $"http://127.0.0.1:{peer}", "--initial-advertise-peer-urls", $"http://127.0.0.1:{peer}",
            "--initial-cluster", $"default=http://127.0.0.1:{peer}",
        })
        {
            startInfo.ArgumentList.Add(arg);
        }

        using var etcd = Process.Start(startInfo) ?? throw new InvalidOperationException("cannot start etcd");
        etcd.OutputDataReceived += (_, _) => { };
        etcd.ErrorDataReceived += (_, _) => { };
        etcd.BeginOutputReadLine();
        etcd.BeginErrorReadLine();
        try
        {
            var env = new Dictionary<string, string> { ["ETCDCTL_API"] = "3" };
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (true)
            {
                try
                {
                    Sh.Run("/usr/bin/etcdctl", ["--endpoints", endpoint, "put", "/registry/nodes/node-1", "ready"], env);
                    break;
                }
                catch (InvalidOperationException) when (DateTime.UtcNow < deadline && !etcd.HasExited)
                {
                    Thread.Sleep(100);
                }
            }

            SnapshotPath = _root["snapshot.db"];
            Sh.Run("/usr/bin/etcdctl", ["--endpoints", endpoint, "snapshot", "save", SnapshotPath], env);
        }
        finally
        {
            etcd.Kill();
            etcd.WaitForExit();
        }
    }

    /// <summary>The pristine snapshot (copy it before use).</summary>
    public string SnapshotPath { get; }

    /// <summary>Copies the snapshot to <paramref name="destination"/>, optionally flipping bytes in its middle.</summary>
    public string CopyTo(string destination, bool corrupt = false)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        var bytes = File.ReadAllBytes(SnapshotPath);
        if (corrupt)
        {
            for (var i = bytes.Length / 3; i < bytes.Length / 3 + 64; i++)
            {
                bytes[i] ^= 0xFF;
            }
        }

        File.WriteAllBytes(destination, bytes);
        return destination;
    }

    public void Dispose() => _root.Dispose();
}
