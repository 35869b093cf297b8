#!/usr/bin/env bash
# Agent footprint: publishes rollbackmesh-agent framework-dependent (net10.0) and NativeAOT (net9.0, the only
# NativeAOT pack here), runs tests/benchmarks/RollbackMesh.Benchmarks.Agent against each (one connected stream, idle)
# and prints a table. Targets (issue 3 item 10): idle RSS <= 50 MiB framework-dependent, <= 15 MiB NativeAOT. The table also
# shows RSS at start-up, before the agent gives memory back once idle (Memory/IdleFootprintService).
#
#   tests/benchmarks/agent-footprint.sh [--seconds N] [--skip-publish] [--out DIR]
#
# Needs clang-14 for the NativeAOT link (`clang` is not on PATH here). Builds go to DIR/artifacts so they do not
# disturb the developers' own bin/obj folders; the benchmark program is built once in Release.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
seconds=20
out=/tmp/rbm-agent-footprint
publish=true
while [ $# -gt 0 ]; do
  case $1 in
    --seconds) seconds=$2; shift 2 ;;
    --skip-publish) publish=false; shift ;;
    --out) out=$2; shift 2 ;;
    *) echo "usage: $0 [--seconds N] [--skip-publish] [--out DIR]" >&2; exit 2 ;;
  esac
done

if $publish; then
  rm -rf "$out/fdd" "$out/aot"
  echo "publishing framework-dependent (net10.0) ..." >&2
  dotnet publish "$repo/agent/RollbackMesh.Agent" -c Release --artifacts-path "$out/artifacts-fdd" -o "$out/fdd" -nologo -v quiet
  echo "publishing NativeAOT (net9.0, -p:RollbackMeshAot=true) ..." >&2
  dotnet publish "$repo/agent/RollbackMesh.Agent" -c Release -r linux-x64 -p:RollbackMeshAot=true -p:PublishAot=true \
    -p:CppCompilerAndLinker=clang-14 --artifacts-path "$out/artifacts-aot" -o "$out/aot" -nologo -v quiet
fi

bench_project="$repo/tests/benchmarks/RollbackMesh.Benchmarks.Agent"
dotnet build "$bench_project" -c Release --artifacts-path "$out/artifacts-bench" -nologo -v quiet >&2
bench="$out/artifacts-bench/bin/RollbackMesh.Benchmarks.Agent/release/RollbackMesh.Benchmarks.Agent"

declare -A result
for kind in fdd aot; do
  echo "benchmarking $kind for $seconds s ..." >&2
  log="$out/$kind.log"
  "$bench" --agent "$out/$kind/rollbackmesh-agent" --seconds "$seconds" --maps 15 > "$log"
  result[$kind]=$(awk '
    /^start -> first Hello/ { hello = $(NF-1) }
    /^start-up RSS/    { startup = $(NF-1) }
    /^idle over/       { rss = $(NF-1) }
    /of which/         { anon = $4; file = $7; shmem = $10; pss = $(NF-1) }
    /^idle CPU/        { cpu = $9 }
    /^SIGTERM/         { stop = $4 }
    END { printf "%s|%s|%s|%s|%s|%s|%s|%s|%s", rss, anon, file, shmem, pss, hello, cpu, stop, startup }' "$log")
done
size_fdd=$(du -sm "$out/fdd" | cut -f1)
size_aot=$(du -m "$out/aot/rollbackmesh-agent" | cut -f1)

printf '%-22s %10s %8s %8s %8s %8s %10s %10s %10s %8s %10s %8s\n' build "RSS MiB" anon file shmem PSS "start-up" "hello ms" "idle CPU" "stop ms" "size MiB" target
for kind in fdd aot; do
  IFS='|' read -r rss anon file shmem pss hello cpu stop startup <<< "${result[$kind]}"
  if [ "$kind" = fdd ]; then name="framework-dependent"; size=$size_fdd; target=50; else name="NativeAOT (net9.0)"; size=$size_aot; target=15; fi
  printf '%-22s %10s %8s %8s %8s %8s %10s %10s %10s %8s %10s %8s\n' "$name" "$rss" "$anon" "$file" "$shmem" "$pss" "$startup" "$hello" "$cpu" "$stop" "$size" "<= $target"
done
echo "(RSS = last idle sample over $seconds s with one stream, after the agent's idle release 3 s after connecting: one"
echo " compacting GC and clean read-only file pages dropped from the working set (they stay in the page cache);"
echo " start-up = RSS 2 s after the first Hello, before that release; per-mapping detail in $out/fdd.log and $out/aot.log)"
