#!/usr/bin/env bash
# Agent footprint: builds the agent .deb with packaging/build.sh (the NativeAOT net10.0 agent, as shipped) and a
# framework-dependent publish (the development build), runs tests/benchmarks/RollbackMesh.Benchmarks.Agent against
# each (one connected stream, idle) and prints one table: idle RSS at 30 s and 600 s after connecting, start ->
# connected, binary and .deb size. Targets (issue 11 item 7), NativeAOT: idle RSS <= 20 MiB, binary <= 25 MB,
# agent .deb <= 12 MB. The framework-dependent column is for comparison only.
#
#   tests/benchmarks/agent-footprint.sh [--at 30,600] [--skip-publish] [--out DIR]
#   --at            seconds after the first Hello at which RSS is read; the run lasts until the last one (default 30,600)
#   --skip-publish  measure the builds already in DIR
#
# Needs what packaging/build.sh needs (clang-14 for the NativeAOT link; it installs it with apt-get when run as root).
# Builds go to DIR (default /tmp/rbm-agent-footprint), away from the developers' own bin/obj folders. Both agents run
# at the same time, the framework-dependent one started 20 s after the NativeAOT one so their start-ups do not compete.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
at=30,600
out=/tmp/rbm-agent-footprint
publish=true
while [ $# -gt 0 ]; do
  case $1 in
    --at) at=$2; shift 2 ;;
    --skip-publish) publish=false; shift ;;
    --out) out=$(realpath -m "$2"); shift 2 ;;
    *) echo "usage: $0 [--at 30,600] [--skip-publish] [--out DIR]" >&2; exit 2 ;;
  esac
done
[[ "$at" =~ ^[0-9]+(,[0-9]+)*$ ]] || { echo "agent-footprint.sh: --at takes seconds separated by commas" >&2; exit 2; }
checkpoints=${at//,/ }
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo/Directory.Build.props" | head -n 1)
deb=$out/pkg/rollbackmesh-agent_${version}_amd64.deb
aot=$out/pkg/publish/agent/rollbackmesh-agent

if $publish; then
  rm -rf "$out/fdd" "$out/pkg"
  echo "building the agent .deb (NativeAOT, packaging/build.sh) ..." >&2
  bash "$repo/packaging/build.sh" --only agent --deb-only --out "$out/pkg" >&2
  echo "publishing framework-dependent (net10.0) ..." >&2
  dotnet publish "$repo/agent/RollbackMesh.Agent" -c Release --artifacts-path "$out/artifacts-fdd" -o "$out/fdd" -nologo -v quiet >&2
fi
[ -x "$aot" ] && [ -f "$deb" ] && [ -f "$out/fdd/rollbackmesh-agent.dll" ] || { echo "agent-footprint.sh: no builds in $out" >&2; exit 1; }

bench_project="$repo/tests/benchmarks/RollbackMesh.Benchmarks.Agent"
dotnet build "$bench_project" -c Release --artifacts-path "$out/artifacts-bench" -nologo -v quiet >&2
bench="$out/artifacts-bench/bin/RollbackMesh.Benchmarks.Agent/release/RollbackMesh.Benchmarks.Agent"

echo "benchmarking both agents until ${checkpoints##* } s after connecting ..." >&2
"$bench" --agent "$aot" --at "$at" --maps 12 >"$out/aot.log" 2>&1 &
aot_pid=$!
sleep 20
"$bench" --agent "$out/fdd/rollbackmesh-agent.dll" --at "$at" --maps 12 >"$out/fdd.log" 2>&1 &
fdd_pid=$!
failed=0
wait "$aot_pid" || { echo "agent-footprint.sh: the NativeAOT run failed, see $out/aot.log" >&2; failed=1; }
wait "$fdd_pid" || { echo "agent-footprint.sh: the framework-dependent run failed, see $out/fdd.log" >&2; failed=1; }

# field LOG PATTERN: the number before "MiB"/"ms"/"%" on the line matching PATTERN.
field() { awk -v pattern="$2" '$0 ~ pattern { for (i = 1; i <= NF; i++) if ($(i+1) == "MiB" || $(i+1) == "ms," || $(i+1) == "ms") { print $i; exit } }' "$1"; }
cpu() { awk '/^CPU from the first Hello/ { for (i = 1; i <= NF; i++) if ($i == "=") { print $(i+1); exit } }' "$1"; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1000000 }'; }

header=$(printf '%-20s' build)
for s in $checkpoints; do header+=$(printf ' %11s' "RSS@${s}s"); done
printf '%s %9s %8s %10s %10s %12s %9s\n' "$header" "start ms" "CPU" "stop ms" "binary MB" "package MB" "exit"
for kind in aot fdd; do
  log=$out/$kind.log
  if [ "$kind" = aot ]; then
    name="NativeAOT net10.0"; binary=$(mb "$(stat -c %s "$aot")"); package=$(mb "$(stat -c %s "$deb")")
  else
    name="framework-dependent"; binary="$(mb "$(du -sb "$out/fdd" | cut -f1)")"; package="-"
  fi
  row=$(printf '%-20s' "$name")
  for s in $checkpoints; do row+=$(printf ' %11s' "$(field "$log" "^RSS at $s s ")"); done
  printf '%s %9s %8s %10s %10s %12s %9s\n' "$row" "$(field "$log" '^start -> first Hello')" "$(cpu "$log")" \
    "$(field "$log" '^SIGTERM')" "$binary" "$package" "$(awk '/^SIGTERM/ { print $NF }' "$log")"
done
echo "targets, NativeAOT: RSS <= 20 MiB, binary <= 25 MB, .deb <= 12 MB (RSS in MiB; sizes in MB of 10^6 bytes; the"
echo "NativeAOT binary is rollbackmesh-agent alone, libe_sqlite3.so beside it is $(mb "$(stat -c %s "$(dirname "$aot")/libe_sqlite3.so" 2>/dev/null || echo 0)") MB; framework-dependent: the whole"
echo "publish folder, which needs the shared .NET runtime). start = process start -> first Hello on the stream; CPU ="
echo "share of one core from the first Hello on; per-mapping detail in $out/aot.log and $out/fdd.log"
exit "$failed"
