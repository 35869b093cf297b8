#!/bin/sh
# Installs RollbackMesh from this air-gapped bundle, offline: verifies SHA256SUMS first, then installs the .deb with
# dpkg or the .rpm with rpm (no repository is contacted). Run as root from anywhere.
# Usage: install.sh agent|coordinator|all
set -eu
here=$(cd "$(dirname "$0")" && pwd)
what=${1:-}
case "$what" in
  agent) names="rollbackmesh-agent" ;;
  coordinator) names="rollbackmesh-coordinator" ;;
  all) names="rollbackmesh-coordinator rollbackmesh-agent" ;;
  *) echo "usage: $0 agent|coordinator|all" >&2; exit 2 ;;
esac
if [ "$(id -u)" -ne 0 ]; then
  echo "install.sh: run as root" >&2
  exit 1
fi
echo "Verifying the bundle (SHA256SUMS)..."
if ! (cd "$here" && sha256sum --check --quiet --strict SHA256SUMS); then
  echo "install.sh: checksum mismatch: the bundle is damaged or was altered; nothing was installed" >&2
  exit 1
fi
if command -v dpkg >/dev/null 2>&1 && [ -f /var/lib/dpkg/status ] && [ -d /var/lib/dpkg/info ]; then
  kind=deb
elif command -v rpm >/dev/null 2>&1; then
  kind=rpm
else
  echo "install.sh: neither dpkg nor rpm found; unpack the package by hand" >&2
  exit 1
fi
files=""
for name in $names; do
  file=$(ls "$here"/packages/"$name"[_-][0-9]*."$kind" 2>/dev/null | head -n 1 || true)
  if [ -z "$file" ]; then
    echo "install.sh: no $name .$kind in $here/packages" >&2
    exit 1
  fi
  files="$files $file"
done
echo "Installing with $kind:$files"
if [ "$kind" = deb ]; then
  # shellcheck disable=SC2086
  dpkg -i $files
else
  # -U installs or upgrades; --replacepkgs makes a re-run of the same version succeed.
  # shellcheck disable=SC2086
  rpm -U --replacepkgs $files
fi
echo
echo "Installed. Next steps:"
for name in $names; do
  case "$name" in
    rollbackmesh-coordinator)
      echo " coordinator: run 'rollbackmesh-coordinator init --data /var/lib/rollbackmesh' as rollbackmesh, or put"
      echo "   coordinator.crt, coordinator.key (root:rollbackmesh 0640) and ca.crt in /etc/rollbackmesh/tls and set tls"
      echo "   in /etc/rollbackmesh/coordinator.yaml; check that file, then: systemctl start rollbackmesh-coordinator"
      echo "   built-in runbooks for reading: /usr/share/rollbackmesh/runbooks; operator CLI: rollbackmesh --help" ;;
    rollbackmesh-agent)
      echo " agent: set roles and coordinator.address in /etc/rollbackmesh/agent.yaml, put ca.crt, agent.crt and"
      echo "   agent.key in /etc/rollbackmesh/tls, then: systemctl start rollbackmesh-agent" ;;
  esac
done
