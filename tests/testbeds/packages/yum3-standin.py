#!/usr/bin/python3
# Stand-in for yum 3.4.3 (CentOS/RHEL 7), which Debian 12 does not ship (no `yum` package; dnf's yum alias is dnf 4).
# Resolution and the transaction itself are done by the REAL dnf and rpm in the test's isolated root; what this file
# models is only where yum 3 differs from dnf, from yum(8) of yum 3.4.3 and its command behaviour:
# - `--version` prints 3.4.3; there is no `repoquery` subcommand (that is yum-utils) and repolist takes
#   `enabled`, not `--enabled`; `-v repolist` prints ids as "ID/RELEASEVER/BASEARCH".
# - `list available --showduplicates PKG` prints "Available Packages" then "name.arch [epoch:]version-release repo"
#   (epoch only when non-zero); with nothing to list: "Error: No matching Packages to list", exit 1.
# - package specs (yum(8) SPECIFYING PACKAGE NAMES): name, name.arch, name-ver, name-ver-rel, name-ver-rel.arch,
#   name-epoch:ver-rel.arch, epoch:name-ver-rel.arch. An epoch WITHOUT an arch (dnf's name-epoch:ver) matches
#   nothing: "No package SPEC available."; when no spec matches: "Error: Nothing to do", exit 1.
# - `downgrade` to a version that is not lower than the installed one: "Only Upgrade available on package: NEVRA",
#   and with nothing left "Nothing to do", exit 0 (dnf behaves the same since dnf PR 1538, "closer to yum3").
import subprocess
import sys

DNF = "/usr/bin/dnf"
RPM = "/usr/bin/rpm"

args = sys.argv[1:]
common, rest, quiet, verbose, dupes = [], [], False, False, False
installroot = None
i = 0
while i < len(args):
    a = args[i]
    if a == "-y":
        common.append(a)
    elif a == "-q":
        quiet = True
    elif a == "-v":
        verbose = True
    elif a == "--showduplicates":
        dupes = True
    elif a.startswith("--installroot=") or a.startswith("--releasever="):
        common.append(a)
        if a.startswith("--installroot="):
            installroot = a.split("=", 1)[1]
    elif a == "-c":
        common += [a, args[i + 1]]
        i += 1
    elif a == "--version":
        print("3.4.3")
        sys.exit(0)
    else:
        rest.append(a)
    i += 1


def dnf(*more):
    return subprocess.run([DNF, *common, *more], capture_output=True, text=True)


def rows(spec):
    """Available rows (name, arch, epoch, version, release, repo) for a dnf-resolvable spec."""
    out = dnf("-q", "repoquery", "--available", "--qf", "%{name} %{arch} %{epoch} %{version} %{release} %{repoid}", spec)
    return [tuple(line.split()) for line in out.stdout.splitlines() if len(line.split()) == 6]


def installed(name):
    root = [f"--root={installroot}"] if installroot else []
    out = subprocess.run([RPM, *root, "-q", "--qf", "%{EPOCHNUM} %{VERSION} %{RELEASE}", name], capture_output=True, text=True)
    return out.stdout.split() if out.returncode == 0 else None


def yum3_matches(spec):
    """The available rows yum 3 would match for spec, by its documented spec forms only."""
    found = []
    for row in rows("*"):
        n, arch, e, v, r, _ = row
        forms = {n, f"{n}.{arch}", f"{n}-{v}", f"{n}-{v}-{r}", f"{n}-{v}-{r}.{arch}", f"{n}-{e}:{v}-{r}.{arch}", f"{e}:{n}-{v}-{r}.{arch}"}
        if spec in forms:
            found.append(row)
    return found


def rpmvercmp(a, b):
    import rpm  # python3-rpm, installed with rpm by tests/install-test-deps.sh
    return rpm.labelCompare(a, b)


if rest[:1] == ["clean"]:
    out = dnf(*rest)
    print("Cleaning repos: calico" if out.returncode == 0 else out.stderr, end="\n")
    sys.exit(out.returncode)

if rest[:1] == ["repolist"]:
    if rest[1:] not in ([], ["enabled"], ["all"], ["disabled"]):
        print(f"Error: unknown repolist argument {rest[1:]}", file=sys.stderr)
        sys.exit(1)
    out = dnf("-v", "repolist", "--enabled")
    for line in out.stdout.splitlines():
        if line.startswith("Repo-id"):
            line = line.rstrip() + "/7/noarch"
        print(line)
    sys.exit(out.returncode)

if rest[:2] == ["list", "available"] and len(rest) == 3:
    found = rows(rest[2])
    if not dupes and found:
        found = found[-1:]
    if not found:
        print("Error: No matching Packages to list", file=sys.stderr)
        sys.exit(1)
    print("Available Packages")
    for n, arch, e, v, r, repo in found:
        print(f"{n}.{arch:<30} {(e + ':') if e != '0' else ''}{v}-{r:<20} {repo}")
    sys.exit(0)

if rest[:1] == ["downgrade"]:
    targets = []
    for spec in rest[1:]:
        matched = yum3_matches(spec)
        if not matched:
            print(f"No package {spec} available.")
            continue
        n, arch, e, v, r, _ = matched[0]
        have = installed(n)
        if have is None or rpmvercmp((e, v, r), tuple(have)) >= 0:
            print(f"Only Upgrade available on package: {n}-{e}:{v}-{r}.{arch}")
            continue
        targets.append(f"{n}-{e}:{v}-{r}.{arch}")
    if not targets:
        if all(not yum3_matches(s) for s in rest[1:]):
            print("Error: Nothing to do", file=sys.stderr)
            sys.exit(1)
        print("Nothing to do")
        sys.exit(0)
    out = dnf("downgrade", *targets)
    sys.stdout.write(out.stdout)
    sys.stderr.write(out.stderr)
    if out.returncode == 0:
        print("Complete!")
    sys.exit(out.returncode)

print(f"No such command: {' '.join(rest)}. Please use /usr/bin/yum --help", file=sys.stderr)
sys.exit(1)
