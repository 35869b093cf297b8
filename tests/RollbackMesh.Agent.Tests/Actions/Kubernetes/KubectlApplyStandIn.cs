using RollbackMesh.Agent.Tests.Testbeds;

namespace RollbackMesh.Agent.Tests.Actions.Kubernetes;

/// <summary>
/// `kubectl --kubeconfig=K apply -f FILE` as kubectl documents it: a missing file is
/// `error: the path "FILE" does not exist` (exit 1); otherwise one line `<kind>.<group>/<name> created`, then
/// `unchanged` for the same content and `configured` for changed content. Applied manifests are kept in a directory.
/// </summary>
internal static class KubectlApplyStandIn
{
    public static string Write(string path, string log, string stateDir)
    {
        Sh.WriteScript(path, $$"""
            echo "$*" >> '{{log}}'
            [ -f "${1#--kubeconfig=}" ] || { echo 'error: error loading config file: no such file or directory' >&2; exit 1; }
            [ "$2 $3" = "apply -f" ] || { echo "error: unknown command \"$2\"" >&2; exit 1; }
            file=$4
            [ -f "$file" ] || { echo "error: the path \"$file\" does not exist" >&2; exit 1; }
            kind=$(sed -n 's/^kind: *//p' "$file" | tr 'A-Z' 'a-z')
            group=$(sed -n 's/^apiVersion: *\([^/]*\)\/.*/\1/p' "$file")
            name=$(sed -n 's/^  name: *//p' "$file" | head -n 1)
            [ -n "$kind" ] && [ -n "$name" ] || { echo "error: error validating \"$file\": kind or metadata.name not set" >&2; exit 1; }
            object="$kind${group:+.$group}/$name"
            stored='{{stateDir}}'/$(echo "$object" | tr '/' '_')
            if [ ! -f "$stored" ]; then verb=created
            elif cmp -s "$file" "$stored"; then verb=unchanged
            else verb=configured; fi
            cp "$file" "$stored"
            echo "$object $verb"
            """);
        return path;
    }
}
