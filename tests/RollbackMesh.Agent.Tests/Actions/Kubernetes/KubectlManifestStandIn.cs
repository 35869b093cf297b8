using RollbackMesh.Agent.Tests.Testbeds;

namespace RollbackMesh.Agent.Tests.Actions.Kubernetes;

/// <summary>
/// kubectl's manifest verbs as kubectl documents them, with the objects kept as files in a state directory
/// (<c>KIND_NAME</c>, KIND the lower-case singular kind) and their conditions in <c>KIND_NAME.conditions</c>
/// (lines <c>Ready=True</c>; the test plays the operator by writing it):
/// <list type="bullet">
/// <item><c>apply -f FILE</c>: <c>KIND.GROUP/NAME created</c>, then <c>unchanged</c> for the same content and
/// <c>configured</c> for changed content.</item>
/// <item><c>create -f FILE</c>: <c>KIND.GROUP/NAME created</c>; when the object exists, exit 1 with
/// <c>Error from server (AlreadyExists): error when creating "FILE": KINDs.GROUP "NAME" already exists</c>.</item>
/// <item><c>get -f FILE -o name</c>: <c>KIND.GROUP/NAME</c>, or exit 1 with <c>Error from server (NotFound)</c>.</item>
/// <item><c>wait --for=condition=C TYPE/NAME [-n NS] --timeout=Ns</c> (TYPE singular or plural, with or without its
/// group): <c>KIND.GROUP/NAME condition met</c> once <c>C=True</c>; exit 1 with <c>error: timed out waiting for the
/// condition on KINDs/NAME</c> when N seconds pass first; NotFound for a missing object.</item>
/// <item>With a <c>crds</c> file (one CRD name, PLURAL.GROUP, per line): <c>create</c>/<c>apply</c> of a kind whose
/// CRD is not listed fails as kubectl does, <c>no matches for kind "KIND" in version "GROUP/VERSION"</c> and
/// <c>ensure CRDs are installed first</c>; <c>get backups.resources.cattle.io</c> fails with <c>the server doesn't have
/// a resource type "backups"</c> when that CRD is not listed.</item>
/// <item><c>get backups.resources.cattle.io -o jsonpath=...</c>: the lines of the <c>backups</c> file (NAME, a tab,
/// the Backup's status.filename), as the runbook's jsonpath prints them.</item>
/// </list>
/// A missing manifest is <c>error: the path "FILE" does not exist</c> (exit 1).
/// </summary>
internal static class KubectlManifestStandIn
{
    public static string Write(string path, string log, string stateDir)
    {
        Sh.WriteScript(path, $$"""
            echo "$*" >> '{{log}}'
            state='{{stateDir}}'
            [ -f "${1#--kubeconfig=}" ] || { echo 'error: error loading config file: no such file or directory' >&2; exit 1; }
            verb=$2
            read_manifest() {
              [ -f "$1" ] || { echo "error: the path \"$1\" does not exist" >&2; exit 1; }
              kind=$(sed -n 's/^kind: *//p' "$1" | tr 'A-Z' 'a-z')
              group=$(sed -n 's/^apiVersion: *\([^/]*\)\/.*/\1/p' "$1")
              name=$(sed -n 's/^  name: *//p' "$1" | head -n 1)
              [ -n "$kind" ] && [ -n "$name" ] || { echo "error: error validating \"$1\": kind or metadata.name not set" >&2; exit 1; }
              object="$kind${group:+.$group}/$name"
              stored="$state/${kind}_$name"
              if [ -f "$state/crds" ] && [ -n "$group" ] && ! grep -qx "${kind}s.$group" "$state/crds"; then
                echo "error: resource mapping not found for name: \"$name\" namespace: \"\" from \"$1\": no matches for kind \"$(sed -n 's/^kind: *//p' "$1")\" in version \"$(sed -n 's/^apiVersion: *//p' "$1")\"" >&2
                echo "ensure CRDs are installed first" >&2; exit 1
              fi
            }
            case "$verb" in
            apply|create)
              [ "$3" = "-f" ] || { echo "error: must specify one of -f and -k" >&2; exit 1; }
              read_manifest "$4"
              if [ "$verb" = create ] && [ -f "$stored" ]; then
                echo "Error from server (AlreadyExists): error when creating \"$4\": ${kind}s${group:+.$group} \"$name\" already exists" >&2; exit 1
              fi
              if [ ! -f "$stored" ]; then result=created
              elif cmp -s "$4" "$stored"; then result=unchanged
              else result=configured; fi
              cp "$4" "$stored"
              echo "$object $result" ;;
            get)
              if [ "$3" = backups.resources.cattle.io ]; then
                if [ -f "$state/crds" ] && ! grep -qx backups.resources.cattle.io "$state/crds"; then
                  echo 'error: the server doesn'"'"'t have a resource type "backups"' >&2; exit 1
                fi
                cat "$state/backups" 2>/dev/null; exit 0
              fi
              [ "$3" = "-f" ] || { echo "error: unsupported get" >&2; exit 1; }
              read_manifest "$4"
              [ -f "$stored" ] || { echo "Error from server (NotFound): ${kind}s${group:+.$group} \"$name\" not found" >&2; exit 1; }
              echo "$object" ;;
            wait)
              shift 2
              condition= resource= timeout=30
              while [ $# -gt 0 ]; do
                case "$1" in
                  --for=condition=*) condition=${1#--for=condition=} ;;
                  --timeout=*s) timeout=${1#--timeout=}; timeout=${timeout%s} ;;
                  -n) shift ;;
                  -*) echo "error: unknown flag: $1" >&2; exit 1 ;;
                  *) resource=$1 ;;
                esac
                shift
              done
              [ -n "$condition" ] && [ -n "$resource" ] || { echo "error: resource and --for are required" >&2; exit 1; }
              type=${resource%%/*}; name=${resource#*/}; kind=${type%%.*}; kind=${kind%s}
              stored="$state/${kind}_$name"
              [ -f "$stored" ] || { echo "Error from server (NotFound): ${kind}s \"$name\" not found" >&2; exit 1; }
              group=$(sed -n 's/^apiVersion: *\([^/]*\)\/.*/\1/p' "$stored")
              deadline=$(( $(date +%s) + timeout ))
              while ! grep -qx "$condition=True" "$stored.conditions" 2>/dev/null; do
                [ "$(date +%s)" -lt "$deadline" ] || { echo "error: timed out waiting for the condition on ${kind}s/$name" >&2; exit 1; }
                sleep 0.1
              done
              echo "$kind${group:+.$group}/$name condition met" ;;
            *) echo "error: unknown command \"$verb\"" >&2; exit 1 ;;
            esac
            """);
        return path;
    }
}
