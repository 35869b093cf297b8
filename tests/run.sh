#!/usr/bin/env bash
# Runs every test of RollbackMesh on a fresh Debian 12 machine (as root): installs what the tests need, builds the
# solution (warnings are errors), runs all test projects and prints one closing line "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/install-test-deps.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build RollbackMesh.sln -c Release
results=$(mktemp -d)
status=0
dotnet test RollbackMesh.sln -c Release --no-build --logger "console;verbosity=normal" --logger trx \
  --results-directory "$results" || status=$?
# One TRX file per test assembly; add up their counters.
read -r passed failed skipped < <(cat "$results"/*.trx 2>/dev/null | grep -o '<Counters [^>]*' |
  sed -E 's/.* passed="([0-9]+)" failed="([0-9]+)".* notExecuted="([0-9]+)".*/\1 \2 \3/' |
  awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
# Tests that measure print "figure NAME VALUE" lines (hostile input, fault trials); show them in the CI output.
grep -ho 'figure [a-z_][a-z0-9_]* [0-9][0-9./]*' "$results"/*.trx 2>/dev/null | sort -u || true
rm -rf "$results"
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
  echo "no test ran" >&2
  status=1
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
