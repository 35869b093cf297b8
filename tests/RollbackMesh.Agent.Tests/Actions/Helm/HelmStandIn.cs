using RollbackMesh.Agent.Tests.Testbeds;

namespace RollbackMesh.Agent.Tests.Actions.Helm;

/// <summary>
/// A helm 3 stand-in for `history`, `rollback`, `status` and `upgrade --install`, keeping each release's revisions in
/// a file STATE/NAMESPACE/RELEASE (REVISION|STATUS|CHART|APP VERSION|DESCRIPTION per line; helm keeps them as the
/// release's `sh.helm.release.v1.RELEASE.vN` Secrets in its namespace, so deleting the namespace's Secrets or the
/// namespace deletes the history) and a namespace as the directory STATE/NAMESPACE. As helm documents: history prints a table with the
/// columns REVISION, UPDATED, STATUS, CHART, APP VERSION, DESCRIPTION; rollback without a revision or with 0 goes to
/// the previous revision, records a new "deployed" revision described "Rollback to N" (the old one becomes
/// "superseded") and prints "Rollback was a success! Happy Helming!"; an unknown release or revision prints
/// "Error: release: not found" on stderr and exits 1. `upgrade --install RELEASE CHART` reads name, version and
/// appVersion from the archive's Chart.yaml, fails with "Error: path ... not found" for a missing chart, with
/// "open ...: no such file or directory" for a missing values file and with "namespaces ... not found" when the
/// namespace is missing without --create-namespace; it installs revision 1 ("Install complete") or adds a revision
/// ("Upgrade complete"), keeps the values given in RELEASE.values and prints NAME/NAMESPACE/STATUS/REVISION.
/// `status` prints NAME, NAMESPACE, STATUS and REVISION of the last revision. Given a crds file (the
/// <see cref="Kubernetes.KubectlManifestStandIn"/> one), a first install adds the names of the CRDs in the chart's
/// crds/ directory that are missing, as helm installs crds/ on install (never on upgrade).
/// </summary>
internal static class HelmStandIn
{
    public static string Write(string path, string log, string stateDir, string? crdsFile = null) =>
        WriteScript(path, log, $$"""
            state='{{stateDir}}'
            kubeconfig_ok() { [ -f "$1" ] || { echo "Error: Kubernetes cluster unreachable" >&2; exit 1; }; }
            if [ "$1" = upgrade ]; then
              [ "$2" = --install ] || { echo "Error: UPGRADE FAILED: \"$3\" has no deployed releases" >&2; exit 1; }
              release=$3; chart=$4; shift 4
              ns=default values= createns=
              while [ $# -gt 0 ]; do case "$1" in -n|--namespace) ns=$2; shift 2;; -f|--values) values=$2; shift 2;; --create-namespace) createns=1; shift;; --kubeconfig) kubeconfig_ok "$2"; shift 2;; --timeout) shift 2;; *) shift;; esac; done
              [ -e "$chart" ] || { echo "Error: path \"$chart\" not found" >&2; exit 1; }
              [ -z "$values" ] || [ -f "$values" ] || { echo "Error: open $values: no such file or directory" >&2; exit 1; }
              meta=$(tar -xzOf "$chart" --wildcards '*/Chart.yaml' 2>/dev/null) || { echo "Error: file '$chart' does not appear to be a gzipped archive" >&2; exit 1; }
              name=$(echo "$meta" | sed -n 's/^name: *//p'); version=$(echo "$meta" | sed -n 's/^version: *//p'); app=$(echo "$meta" | sed -n 's/^appVersion: *//p')
              if [ ! -d "$state/$ns" ]; then
                [ -n "$createns" ] || { echo "Error: create: failed to create: namespaces \"$ns\" not found" >&2; exit 1; }
                mkdir -p "$state/$ns"
              fi
              file="$state/$ns/$release"
              if [ -f "$file" ]; then
                rev=$(( $(tail -n 1 "$file" | cut -d'|' -f1) + 1 )); desc="Upgrade complete"
                sed -i 's/^\([0-9]*\)|deployed|/\1|superseded|/' "$file"
              else
                echo "Release \"$release\" does not exist. Installing it now."; rev=1; desc="Install complete"
                if [ -n '{{crdsFile}}' ]; then
                  for crd in $(tar -xzOf "$chart" --wildcards '*/crds/*' 2>/dev/null | sed -n 's/^  name: *//p'); do
                    grep -qx "$crd" '{{crdsFile}}' 2>/dev/null || echo "$crd" >> '{{crdsFile}}'
                  done
                fi
              fi
              echo "$rev|deployed|$name-$version|$app|$desc" >> "$file"
              if [ -n "$values" ]; then cp "$values" "$file.values"; else rm -f "$file.values"; fi
              printf 'NAME: %s\nLAST DEPLOYED: Mon Oct  3 10:15:13 2022\nNAMESPACE: %s\nSTATUS: deployed\nREVISION: %s\n' "$release" "$ns" "$rev"
              exit 0
            fi
            cmd=$1; release=$2; shift 2
            revision=0
            case "$1" in [0-9]*) revision=$1; shift;; esac
            ns=default
            while [ $# -gt 0 ]; do case "$1" in -n|--namespace) ns=$2; shift 2;; --kubeconfig) kubeconfig_ok "$2"; shift 2;; *) shift;; esac; done
            file="$state/$ns/$release"
            [ -f "$file" ] || { echo "Error: release: not found" >&2; exit 1; }
            case "$cmd" in
              history)
                printf 'REVISION\tUPDATED                 \tSTATUS    \tCHART        \tAPP VERSION\tDESCRIPTION\n'
                while IFS='|' read -r rev status chart app desc; do
                  printf '%s       \tMon Oct  3 10:15:13 2022\t%s\t%s\t%s\t%s\n' "$rev" "$status" "$chart" "$app" "$desc"
                done < "$file";;
              status)
                last=$(tail -n 1 "$file")
                printf 'NAME: %s\nNAMESPACE: %s\nSTATUS: %s\nREVISION: %s\n' "$release" "$ns" "$(echo "$last" | cut -d'|' -f2)" "$(echo "$last" | cut -d'|' -f1)";;
              rollback)
                current=$(tail -n 1 "$file" | cut -d'|' -f1)
                [ "$revision" -eq 0 ] && revision=$((current - 1))
                target=$(grep "^$revision|" "$file") || { echo "Error: release: not found" >&2; exit 1; }
                sed -i 's/^\([0-9]*\)|deployed|/\1|superseded|/' "$file"
                echo "$((current + 1))|deployed|$(echo "$target" | cut -d'|' -f3-4)|Rollback to $revision" >> "$file"
                echo "Rollback was a success! Happy Helming!";;
              *) echo "Error: unknown command \"$cmd\" for \"helm\"" >&2; exit 1;;
            esac
            """);

    /// <summary>Creates a release with the given revisions (oldest first); the last one is "deployed".</summary>
    public static void Release(string stateDir, string ns, string release, params (string Chart, string App, string Description)[] revisions)
    {
        Directory.CreateDirectory(Path.Combine(stateDir, ns));
        File.WriteAllLines(Path.Combine(stateDir, ns, release), revisions.Select((r, i) =>
            $"{i + 1}|{(i == revisions.Length - 1 ? "deployed" : "superseded")}|{r.Chart}|{r.App}|{r.Description}"));
    }

    /// <summary>A chart archive NAME/Chart.yaml (as `helm package` makes it) at <paramref name="path"/>.</summary>
    public static string Chart(string path, string name, string version, string appVersion, params string[] crds)
    {
        var work = Path.Combine(Path.GetDirectoryName(path)!, $".chart-{name}-{version}");
        Directory.CreateDirectory(Path.Combine(work, name));
        File.WriteAllText(Path.Combine(work, name, "Chart.yaml"), $"apiVersion: v2\nname: {name}\nversion: {version}\nappVersion: {appVersion}\n");
        if (crds.Length > 0)
        {
            Directory.CreateDirectory(Path.Combine(work, name, "crds"));
            File.WriteAllText(Path.Combine(work, name, "crds", "crds.yaml"), string.Join("---\n", crds.Select(c =>
                $"apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: {c}\n")));
        }

        Sh.Run("tar", "-czf", path, "-C", work, name);
        return path;
    }

    /// <summary>The values file the release's last install or upgrade was given, null when none.</summary>
    public static string? Values(string stateDir, string ns, string release) =>
        File.Exists(Path.Combine(stateDir, ns, release + ".values")) ? File.ReadAllText(Path.Combine(stateDir, ns, release + ".values")) : null;

    /// <summary>The release's revisions as (revision, status, chart, description).</summary>
    public static IReadOnlyList<(int Revision, string Status, string Chart, string Description)> Revisions(string stateDir, string ns, string release) =>
        File.ReadAllLines(Path.Combine(stateDir, ns, release))
            .Select(l => l.Split('|'))
            .Select(f => (int.Parse(f[0], System.Globalization.CultureInfo.InvariantCulture), f[1], f[2], f[4]))
            .ToList();

    private static string WriteScript(string path, string log, string body)
    {
        Sh.WriteScript(path, $"echo \"$*\" >> '{log}'\n{body}\n");
        return path;
    }
}
