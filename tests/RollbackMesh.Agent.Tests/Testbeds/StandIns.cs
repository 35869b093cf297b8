namespace RollbackMesh.Agent.Tests.Testbeds;

/// <summary>
/// Stand-ins for tools that cannot run here (k3s, kubectl, helm). Each prints what the real tool documents
/// and appends its argument vector to a log, so tests can prove what was (not) invoked.
/// </summary>
internal static class StandIns
{
    /// <summary>
    /// k3s: `--version` in k3s's format; `server --cluster-reset` prints the documented reset message. k3s takes the
    /// server token from --token or K3S_TOKEN (docs.k3s.io/cli/token); the stand-in logs the variable when it is set.
    /// <paramref name="resetExit"/> non-zero makes the reset fail as it does with the wrong token.
    /// </summary>
    public static string K3s(string path, string log, string version = "v1.24.4+k3s1", int resetExit = 0) => Write(path, log, $$"""
        case "$1" in
          --version) echo "k3s version {{version}} (c3f830e9)"; echo "go version go1.18.1";;
          server) [ -z "${K3S_TOKEN:-}" ] || echo "K3S_TOKEN=$K3S_TOKEN" >> '{{log}}'
            # A non-zero resetExit models a reset with the wrong token; the message is k3s's own for that case.
            [ {{resetExit}} -eq 0 ] || { echo 'level=fatal msg="starting kubernetes: preparing server: bootstrap data already found and encrypted with different token"' >&2; exit {{resetExit}}; }
            echo "Managed etcd cluster membership has been reset, restart without --cluster-reset flag now. Backup and delete ${datadir}/server/db on each peer etcd server and rejoin the nodes";;
          *) echo "unknown command $1" >&2; exit 1;;
        esac
        """);

    /// <summary>kubectl: node scheduling state in a file; rollout history and undo over revisions; pods replaced after deletion.</summary>
    public static string Kubectl(string path, string log, string stateDir) => Write(path, log, $$"""
        state='{{stateDir}}'
        # Optional $state/revisions, "REVISION TEMPLATE" per line, oldest first, models the ControllerRevisions
        # (ReplicaSets for a Deployment) behind `rollout history`/`undo`. As kubectl's rollback code
        # (k8s.io/kubectl/pkg/polymorphichelpers/rollback.go) does: undo goes to the revision before the highest; when
        # its template equals the current one it prints "skipped rollback (current template already matches revision
        # N)"; otherwise the controller renumbers that revision as the highest (its old number disappears), so a second
        # undo goes back to the upgraded template: undo toggles.
        rollout_undo() {
          if [ -f "$state/revisions" ]; then
            cur=$(tail -n 1 "$state/revisions"); prev=$(tail -n 2 "$state/revisions" | head -n 1)
            [ "$(wc -l < "$state/revisions")" -ge 2 ] || { echo "error: no rollout history found for daemonset \"$1\"" >&2; exit 1; }
            if [ "${prev#* }" = "${cur#* }" ]; then echo "daemonset.apps/$1 skipped rollback (current template already matches revision ${prev%% *})"; return; fi
            grep -v "^${prev%% *} " "$state/revisions" > "$state/revisions.new"; echo "$(( ${cur%% *} + 1 )) ${prev#* }" >> "$state/revisions.new"
            mv "$state/revisions.new" "$state/revisions"
          fi
          echo "daemonset.apps/$1 rolled back"
        }
        shift # --kubeconfig=...
        case "$1 $2" in
          "drain "*) if [ "$(cat "$state/unschedulable" 2>/dev/null)" = true ]; then echo "node/$2 already cordoned"; else echo "node/$2 cordoned"; fi
            echo true > "$state/unschedulable"; echo "evicting pod default/web-1"; echo "node/$2 drained";;
          "cordon "*) echo true > "$state/unschedulable"; echo "node/$2 cordoned";;
          "uncordon "*) echo false > "$state/unschedulable"; echo "node/$2 uncordoned";;
          "get node") case "$5" in
              *unschedulable*) cat "$state/unschedulable" 2>/dev/null;;
              *Ready*) cat "$state/ready" 2>/dev/null || echo False;;
            esac;;
          "rollout undo") rollout_undo "${3#*/}";;
          "rollout history") echo "daemonset.apps/${3#*/} "; echo "REVISION  CHANGE-CAUSE"
            if [ -f "$state/revisions" ]; then while read -r rev _; do printf '%-9s <none>\n' "$rev"; done < "$state/revisions"; else echo "1         <none>"; fi;;
          "rollout status") echo "daemon set \"${3#*/}\" successfully rolled out";;
          "get pods") cat "$state/pods" 2>/dev/null
            if [ -f "$state/deleted" ]; then n=$(cat "$state/polls" 2>/dev/null || echo 0); n=$((n+1)); echo $n > "$state/polls"
              if [ $n -ge 2 ]; then printf 'calico-node-new Running\n' > "$state/pods"; rm "$state/deleted"; fi; fi;;
          "delete pod") echo "pod \"$(cut -d' ' -f1 "$state/pods")\" deleted"; printf 'calico-node-new Pending\n' > "$state/pods"; touch "$state/deleted";;
          "apply -f") echo "restore.resources.cattle.io/restore-migration created";;
          *) echo "error: unknown command \"$1\"" >&2; exit 1;;
        esac
        """);

    /// <summary>
    /// apt-get 1.0 (Ubuntu 14.04, the platform of the Calico OpenStack document) in front of the real apt-get, which does
    /// the work. What 1.0 gets wrong for us, from apt's 1.0 sources (cmdline/apt-get.cc, apt-pkg/contrib/cmndline.cc):
    /// it does not know --allow-downgrades (added in 1.1) and refuses the command line, and with -y it refuses a
    /// downgrade unless --force-yes is given. The real apt 2.x still takes --force-yes (with a deprecation warning).
    /// </summary>
    public static string Apt10(string path, string log) => Write(path, log, """
        case " $* " in
          *" --version "*) echo "apt 1.0.1ubuntu2 for amd64 compiled on Apr  8 2014 22:33:05"; exit 0;;
          *" --allow-downgrades "*) echo "E: Command line option --allow-downgrades is not understood" >&2; exit 100;;
        esac
        if [ "$1" = install ] && case " $* " in *" -y "*) true;; *) false;; esac && case " $* " in *" --force-yes "*) false;; *) true;; esac; then
          echo "The following packages will be DOWNGRADED:"
          echo "E: There are problems and -y was used without --force-yes" >&2; exit 100
        fi
        exec /usr/bin/apt-get "$@"
        """);

    private static string Write(string path, string log, string body)
    {
        Sh.WriteScript(path, $"echo \"$*\" >> '{log}'\n{body}\n");
        return path;
    }

    public static string[] Calls(string log) => File.Exists(log) ? File.ReadAllLines(log) : [];
}
