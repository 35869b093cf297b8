using System.Security.Cryptography;
using System.Text;

namespace RollbackMesh.Demo;

/// <summary>
/// Used only when etcd is not installed: a stand-in etcdctl whose `snapshot restore` checks a stand-in snapshot's
/// sha256 (as the real restore checks the hash embedded in a snapshot) and writes a member directory, and a stand-in
/// snapshot file that says in its first line that it is not a real etcd snapshot. Everything else in the demo is the same.
/// </summary>
internal static class EtcdStandIn
{
    /// <summary>The first line of a stand-in snapshot.</summary>
    public const string Magic = "ROLLBACKMESH STAND-IN ETCD SNAPSHOT (not a real etcd snapshot: etcd was not installed)";

    /// <summary>The stand-in etcdctl, written to <paramref name="path"/>; returns the path.</summary>
    public static string WriteEtcdctl(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, """
            #!/bin/sh
            # STAND-IN etcdctl written by `rollbackmesh-demo` because etcd is not installed: NOT the real tool.
            # Only `snapshot restore SNAP --data-dir DIR [...]` is simulated: it checks the snapshot's sha256 line as the
            # real restore checks the hash in a snapshot, refuses an existing data dir, and writes DIR/member.
            [ "$1 $2" = "snapshot restore" ] || { echo "stand-in etcdctl: only 'snapshot restore' is simulated (install etcd-client for the real one)" >&2; exit 2; }
            snap="$3"; shift 3; dir=
            while [ $# -gt 0 ]; do
              case "$1" in
                --data-dir=*) dir="${1#*=}";;
                --data-dir) dir="$2"; shift;;
              esac
              shift
            done
            [ -n "$dir" ] || { echo "Error: --data-dir is required" >&2; exit 1; }
            [ -f "$snap" ] || { echo "Error: open $snap: no such file or directory" >&2; exit 1; }
            [ ! -e "$dir" ] || { echo "Error: data-dir \"$dir\" exists" >&2; exit 1; }
            [ "$(head -n 1 "$snap")" = 'ROLLBACKMESH STAND-IN ETCD SNAPSHOT (not a real etcd snapshot: etcd was not installed)' ] \
              || { echo "Error: $snap is not a stand-in snapshot (the stand-in etcdctl cannot read real ones)" >&2; exit 1; }
            want="$(tail -n 1 "$snap" | sed -n 's/^sha256 //p')"
            got="$(head -n -1 "$snap" | sha256sum | cut -d' ' -f1)"
            [ -n "$want" ] && [ "$want" = "$got" ] || { echo "Error: snapshot file integrity check failed (expected sha256 $want, got $got)" >&2; exit 1; }
            mkdir -p "$dir/member/snap" "$dir/member/wal" && head -n -1 "$snap" > "$dir/member/snap/db"
            echo "stand-in etcdctl: restored $snap into $dir"
            """.Replace("\r", string.Empty, StringComparison.Ordinal) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        }

        return path;
    }

    /// <summary>Writes a stand-in snapshot of a few K3s-like keys and the first server's current etcd member data.</summary>
    public static void MakeSnapshot(string dataDirectory, string snapshotPath)
    {
        var body = new StringBuilder().Append(Magic).Append('\n')
            .Append("/registry/namespaces/default=demo namespace\n")
            .Append("/registry/deployments/default/web=web: 3 replicas (written before the upgrade)\n")
            .Append("/registry/configmaps/kube-system/k3s-version=").Append(K3sRelease.Previous.Version).Append('\n')
            .ToString();
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
        Directory.CreateDirectory(Path.GetDirectoryName(snapshotPath)!);
        File.WriteAllText(snapshotPath, body + "sha256 " + hash + "\n");
        var member = Path.Combine(dataDirectory, "member", "snap");
        Directory.CreateDirectory(member);
        File.WriteAllText(Path.Combine(member, "db"), "stand-in etcd member data of the first server (written after the upgrade)\n");
    }
}
