using RollbackMesh.Agent.Tests.Testbeds;

namespace RollbackMesh.Agent.Tests.Actions.Kubernetes;

/// <summary>
/// `calico-upgrade abort` as its usage text and behaviour are documented: options `--apiconfigv1`, `--apiconfigv3`
/// (as `--opt=X` or `--opt X`) and `--no-prompts`; an unreadable API config is "Failed to abort the upgrade." with
/// "Error accessing the Calico API" (exit 1); a Kubernetes API datastore needs no abort ("No action was taken.", exit 0);
/// otherwise it asks for confirmation on stdin unless `--no-prompts` and cancels (exit 1) on anything but "yes", then
/// prints "Successfully aborted the upgrade process." and marks the datastore aborted in a state file.
/// </summary>
internal static class CalicoUpgradeStandIn
{
    public static string Write(string path, string log, string stateFile)
    {
        Sh.WriteScript(path, $$"""
            echo "$*" >> '{{log}}'
            [ "$1" = abort ] || { printf 'Invalid option:\n  calico-upgrade %s\n' "$*"; exit 1; }
            shift
            v1=/etc/calico/apiconfigv1.cfg; v3=/etc/calico/apiconfigv3.cfg; prompts=yes
            while [ $# -gt 0 ]; do
              case "$1" in
                --apiconfigv1=*) v1=${1#*=}; shift;;
                --apiconfigv3=*) v3=${1#*=}; shift;;
                --apiconfigv1) v1=$2; shift 2;;
                --apiconfigv3) v3=$2; shift 2;;
                --no-prompts) prompts=no; shift;;
                *) printf 'Invalid option:\n  calico-upgrade abort %s\n' "$*"; exit 1;;
              esac
            done
            for f in "$v1" "$v3"; do
              [ -r "$f" ] || { echo "-----------------------------------------------------------------------------"; echo "Failed to abort the upgrade."; echo "- Error accessing the Calico API: open $f: no such file or directory"; exit 1; }
            done
            if grep -q 'datastoreType: *"*kubernetes' "$v1"; then
              echo "It is not necessary to abort the upgrade when using Kubernetes API as the datastore.  No action was taken."
              exit 0
            fi
            echo "You are about to abort the upgrade process to Calico v3. At this point, all calico/node instances and orchestrator plugins (e.g. CNI) should be running Calico v2.x."
            if [ $prompts = yes ]; then
              printf 'Type "yes" to proceed (any other input cancels): '
              read -r answer
              [ "$answer" = yes ] || { echo "User cancelled. Exiting."; exit 1; }
            fi
            echo aborted > '{{stateFile}}'
            echo "-----------------------------------------------------------------------------"
            echo "Successfully aborted the upgrade process."
            """);
        return path;
    }
}
