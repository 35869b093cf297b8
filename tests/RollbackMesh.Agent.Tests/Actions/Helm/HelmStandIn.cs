using RollbackMesh.Agent.Tests.Testbeds;

namespace RollbackMesh.Agent.Tests.Actions.Helm;

/// <summary>
/// A helm 3 stand-in for `history` and `rollback`, keeping each release's revisions in a file
/// (REVISION|STATUS|CHART|APP VERSION|DESCRIPTION per line). As helm documents: history prints a table with the
/// columns REVISION, UPDATED, STATUS, CHART, APP VERSION, DESCRIPTION; rollback without a revision or with 0 goes to
/// the previous revision, records a new "deployed" revision described "Rollback to N" (the old one becomes
/// "superseded") and prints "Rollback was a success! Happy Helming!"; an unknown release or revision prints
/// "Error: release: not found" on stderr and exits 1.
/// </summary>
internal static class HelmStandIn
{
    public static string Write(string path, string log, string stateDir) =>
        WriteScript(path, log, $$"""
            state='{{stateDir}}'
            cmd=$1; release=$2; shift 2
            revision=0
            case "$1" in [0-9]*) revision=$1; shift;; esac
            ns=default
            while [ $# -gt 0 ]; do case "$1" in -n|--namespace) ns=$2; shift 2;; --kubeconfig) [ -f "$2" ] || { echo "Error: Kubernetes cluster unreachable" >&2; exit 1; }; shift 2;; *) shift;; esac; done
            file="$state/$ns/$release"
            [ -f "$file" ] || { echo "Error: release: not found" >&2; exit 1; }
            case "$cmd" in
              history)
                printf 'REVISION\tUPDATED                 \tSTATUS    \tCHART        \tAPP VERSION\tDESCRIPTION\n'
                while IFS='|' read -r rev status chart app desc; do
                  printf '%s       \tMon Oct  3 10:15:13 2022\t%s\t%s\t%s\t%s\n' "$rev" "$status" "$chart" "$app" "$desc"
                done < "$file";;
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
