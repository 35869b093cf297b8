#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian 12 machine (root). Idempotent.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
packages=(
  # gRPC interop peer (python3-grpcio) and stub generation
  python3-grpcio protobuf-compiler protobuf-compiler-grpc
  # real datastores
  etcd-server etcd-client postgresql sqlite3
  # real package managers in isolated roots
  rpm python3-rpm createrepo-c dnf apt-utils dpkg-dev
  # real systemd and D-Bus
  dbus dbus-daemon systemd systemd-container debootstrap iproute2
  # promtool (check metrics) for the coordinator's Prometheus exposition; no smaller Debian package ships it
  prometheus
  # the dashboard's browser tests (Playwright drives this chromium; it downloads no browser) and a font for screenshots
  chromium fonts-dejavu-core
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# Only promtool is wanted: where systemd runs, the package enables and starts a Prometheus server (on :9090).
if [ -d /run/systemd/system ] && systemctl is-enabled --quiet prometheus.service 2>/dev/null; then
  systemctl disable --now prometheus.service
fi

# The real kubectl client: part of this machine kind's image (/usr/bin/kubectl, v1.32, Google Cloud SDK's kubectl
# package with versioned binaries beside it); Debian 12 has only kubernetes-client 1.20, too old to stand in for it.
# The tests run it against their own test API server (tests/testbeds/kubeapi) and skip, saying so, without it.
if [ ! -x /usr/bin/kubectl ]; then
  echo "WARNING: /usr/bin/kubectl not found: the real-kubectl tests will be SKIPPED (REAL KUBECTL UNAVAILABLE)" >&2
fi
