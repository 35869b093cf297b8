using RollbackMesh.Demo.Sandbox;

namespace RollbackMesh.Demo;

/// <summary>
/// The stand-in K3s tooling of a sandbox node. K3s, kubectl and a cluster cannot run here, so these small shell
/// scripts behave as the K3s documentation describes for the commands the rollback runbooks use, write the state a
/// real node would show (unit state, db directories, reset flag), and append every call with a millisecond timestamp
/// to the node's stand-in log. Each one says in its header that it is a stand-in.
/// </summary>
internal static class K3sStandIns
{
    private const string Header = "#!/bin/sh\n# STAND-IN written by `rollbackmesh-demo` for a sandbox node: NOT the real tool.\n";

    /// <summary>
    /// k3s: `--version` prints the release as k3s does; `server --cluster-reset [--cluster-reset-restore-path=SNAP]`
    /// refuses while k3s runs, moves db/etcd aside to etcd-old-TIMESTAMP, restores the snapshot with the real etcdctl,
    /// writes db/reset-flag, prints k3s's message and exits 0 as k3s does after a reset.
    /// </summary>
    public static string K3s(SandboxNode node, K3sRelease release, string etcdctl) => Header + Log(node, "k3s") + $$"""
        datadir='{{node.HostPath("/var/lib/rancher/k3s")}}'
        units='{{node.HostPath(StandInContract.UnitStateDirectory)}}'
        case "$1" in
          --version|-v) echo "k3s version {{release.Version}} ({{release.Commit}})"; echo "go version {{release.GoVersion}}";;
          server)
            reset=; restore=
            for a in "$@"; do
              case "$a" in
                --cluster-reset) reset=1;;
                --cluster-reset-restore-path=*) restore="${a#*=}";;
              esac
            done
            if [ -z "$reset" ]; then echo "stand-in k3s: only 'server --cluster-reset' runs in the foreground here; start the k3s unit instead" >&2; exit 1; fi
            if [ "$(cut -d' ' -f1 "$units/k3s" 2>/dev/null)" = active ]; then
              echo 'level=fatal msg="starting kubernetes: preparing server: listen tcp 127.0.0.1:6444: bind: address already in use"' >&2; exit 1
            fi
            db="$datadir/server/db"
            mkdir -p "$db"
            if [ -n "$restore" ]; then
              [ -f "$restore" ] || { echo "level=fatal msg=\"failed to restore snapshot: open $restore: no such file or directory\"" >&2; exit 1; }
              if [ -d "$db/etcd" ]; then mv "$db/etcd" "$db/etcd-old-$(date +%s)"; fi
              ETCDCTL_API=3 '{{etcdctl}}' snapshot restore "$restore" --data-dir "$db/etcd" --name '{{node.Name}}' \
                --initial-cluster '{{node.Name}}=https://127.0.0.1:2380' --initial-advertise-peer-urls https://127.0.0.1:2380 >/dev/null 2>&1 \
                || { echo "level=fatal msg=\"etcd restore of $restore failed\"" >&2; exit 1; }
              echo "level=info msg=\"Pre-restore etcd database moved to $db/etcd-old\""
            fi
            date +%s > "$db/reset-flag"
            echo 'level=info msg="Managed etcd cluster membership has been reset, restart without --cluster-reset flag now. Backup and delete ${datadir}/server/db on each peer etcd server and rejoin the nodes"'
            ;;
          *) echo "stand-in k3s: unsupported command '$1'" >&2; exit 1;;
        esac

        """;

    /// <summary>k3s-killall.sh: stops every k3s unit (k3s, k3s-agent) and, as the real script does, keeps all data.</summary>
    public static string KillAll(SandboxNode node) => Header + Log(node, "k3s-killall.sh") + $$"""
        units='{{node.HostPath(StandInContract.UnitStateDirectory)}}'
        for f in "$units"/k3s*; do
          [ -f "$f" ] || continue
          case "$f" in *.tmp) continue;; esac
          echo "+ systemctl stop $(basename "$f")"
          echo "inactive dead" > "$f"
        done
        echo "+ killtree (containerd-shim processes of k3s)"
        echo "+ do_unmount_and_remove /run/k3s"

        """;

    /// <summary>
    /// kubectl against the sandbox cluster: the API answers only while this node's k3s unit is active; a node is Ready
    /// while its k3s (or k3s-agent) unit is active, with a heartbeat of now and the kubelet version of its k3s binary; drain/cordon/uncordon set its unschedulable flag, and a drain of a
    /// node already cordoned says so, as kubectl does.
    /// </summary>
    public static string Kubectl(SandboxNode node, string clusterDirectory) => Header + Log(node, "kubectl") + $$"""
        cluster='{{clusterDirectory}}'
        units='{{node.HostPath(StandInContract.UnitStateDirectory)}}'
        kubeconfig=
        set -- "$@" --end--
        while [ "$1" != --end-- ]; do
          case "$1" in
            --kubeconfig=*) kubeconfig="${1#*=}";;
            --kubeconfig) shift; kubeconfig="$1";;
            *) set -- "$@" "$1";;
          esac
          shift
        done
        shift
        if [ -n "$kubeconfig" ] && [ ! -f "$kubeconfig" ]; then echo "error: stat $kubeconfig: no such file or directory" >&2; exit 1; fi
        if [ "$(cut -d' ' -f1 "$units/k3s" 2>/dev/null)" != active ]; then
          echo "The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?" >&2; exit 1
        fi
        ready() {
          root=$(cat "$cluster/nodes/$1/root")
          for u in k3s k3s-agent; do
            [ "$(cut -d' ' -f1 "$root{{StandInContract.UnitStateDirectory}}/$u" 2>/dev/null)" = active ] && { echo True; return; }
          done
          echo Unknown
        }
        # The Ready condition as `-o jsonpath` prints it for wait_node_ready: status, lastHeartbeatTime, kubeletVersion.
        # An active unit's kubelet keeps posting, so its heartbeat is now; a stopped one keeps its last post (Unknown).
        ready_condition() {
          root=$(cat "$cluster/nodes/$1/root")
          status=$(ready "$1")
          if [ "$status" = True ]; then beat=$(date -u +%Y-%m-%dT%H:%M:%SZ); else beat=2000-01-01T00:00:00Z; fi
          echo "$status $beat $("$root/usr/local/bin/k3s" --version 2>/dev/null | awk 'NR==1{print $3}')"
        }
        known() { [ -f "$cluster/nodes/$1/root" ] || { echo "Error from server (NotFound): nodes \"$1\" not found" >&2; exit 1; }; }
        case "$1 $2" in
          "drain "*) known "$2"
            if [ "$(cat "$cluster/nodes/$2/unschedulable" 2>/dev/null)" = true ]; then echo "node/$2 already cordoned"; else echo "node/$2 cordoned"; fi
            echo true > "$cluster/nodes/$2/unschedulable"
            echo "Warning: ignoring DaemonSet-managed Pods: kube-system/svclb-traefik-$2"; echo "node/$2 drained";;
          "cordon "*) known "$2"; echo true > "$cluster/nodes/$2/unschedulable"; echo "node/$2 cordoned";;
          "uncordon "*) known "$2"; echo false > "$cluster/nodes/$2/unschedulable"; echo "node/$2 uncordoned";;
          "get node"|"get nodes")
            if [ -n "$3" ] && [ "${3#-}" = "$3" ]; then
              known "$3"
              case "$*" in
                *unschedulable*) cat "$cluster/nodes/$3/unschedulable" 2>/dev/null;;
                *lastHeartbeatTime*) ready_condition "$3";;
                *Ready*) ready "$3";;
                *) echo "NAME STATUS"; echo "$3 $(ready "$3")";;
              esac
            elif [ "${*#*metadata.name}" != "$*" ]; then
              # -o jsonpath={.items[*].metadata.name}: the names, space-separated (kubectl_node_coverage).
              names=; for d in "$cluster"/nodes/*; do names="$names${names:+ }$(basename "$d")"; done; echo "$names"
            else
              printf '%-16s %-8s\n' NAME STATUS
              for d in "$cluster"/nodes/*; do n=$(basename "$d"); printf '%-16s %-8s\n' "$n" "$(ready "$n" | sed 's/True/Ready/;s/Unknown/NotReady/')"; done
            fi;;
          *) echo "stand-in kubectl: unsupported command '$*'" >&2; exit 1;;
        esac

        """;

    private static string Log(SandboxNode node, string tool) =>
        $"mkdir -p '{Path.GetDirectoryName(node.HostPath(StandInContract.ToolCallLog))}'\necho \"$(date +%s%3N) {tool} $*\" >> '{node.HostPath(StandInContract.ToolCallLog)}'\n";
}
