#!/usr/bin/env bash
# Runs every test of RollbackMesh on a fresh Debian 12 machine (as root): installs what the tests need, builds the
# solution (warnings are errors), runs all test projects and prints one closing line "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/install-test-deps.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build RollbackMesh.sln -c Release
log=$(mktemp)
status=0
dotnet test RollbackMesh.sln -c Release --no-build --logger "console;verbosity=normal" 2>&1 | tee "$log" || status=$?
# dotnet test prints one summary per test assembly ("Failed!  - Failed: 1, Passed: 9, Skipped: 0, Total: 10, ...").
read -r passed failed skipped < <(grep -Eo 'Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$log" |
  awk -F'[:,] *' '{f+=$2; p+=$4; s+=$6} END {print p+0, f+0, s+0}')
rm -f "$log"
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then
  echo "no test ran" >&2
  status=1
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit "$status"
