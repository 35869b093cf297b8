#!/usr/bin/env bash
# Builds (once) the Debian bookworm minbase root file system that the nspawn testbed boots, and prints its path.
# Cached: a finished rootfs carries a stamp file; concurrent callers serialise on a lock and the build goes to a
# temporary directory that is renamed into place only when complete, so a killed build never leaves a half rootfs.
# Usage: build-rootfs.sh [CACHE_DIR]   (default /var/tmp/rollbackmesh-nspawn)
set -euo pipefail
cache=${1:-/var/tmp/rollbackmesh-nspawn}
rootfs=$cache/rootfs
# Bump when the package list changes so old caches are rebuilt instead of silently reused.
# rpm: the package lifecycle tests install the .rpm with a real rpm (scriptlets run against the container's systemd).
stamp_value="v2 systemd dbus libssl3 zlib1g libstdc++6 rpm"
mkdir -p "$cache"
exec 9>"$cache/build.lock"
flock 9
if [ -f "$rootfs/.rollbackmesh-rootfs" ] && [ "$(cat "$rootfs/.rollbackmesh-rootfs")" = "$stamp_value" ]; then
  echo "$rootfs"
  exit 0
fi
# The Debian mirror this machine already uses (deb822 URIs: or one-line deb entries); deb.debian.org otherwise.
mirror=$(grep -hE '^(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/* 2>/dev/null |
  grep -Eo 'https?://[^ ]+/debian/?' | grep -v security | head -n1 || true)
mirror=${mirror:-http://deb.debian.org/debian}
tmp=$(mktemp -d "$cache/rootfs.build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
echo "building bookworm minbase rootfs from $mirror (once per cache)" >&2
debootstrap --variant=minbase --include=systemd,dbus,libssl3,zlib1g,libstdc++6,rpm bookworm "$tmp" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
  { tail -n 30 "$cache/debootstrap.log" >&2; exit 1; }
# Boot quietly and fast: no getty on the passive console, no network wait, no first-boot prompts.
: >"$tmp/etc/machine-id"
rm -f "$tmp/etc/systemd/system/getty.target.wants/"* 2>/dev/null || true
ln -sf /dev/null "$tmp/etc/systemd/system/console-getty.service"
ln -sf /dev/null "$tmp/etc/systemd/system/systemd-networkd-wait-online.service"
ln -sf /dev/null "$tmp/etc/systemd/system/apt-daily.timer"
ln -sf /dev/null "$tmp/etc/systemd/system/apt-daily-upgrade.timer"
ln -sf /dev/null "$tmp/etc/systemd/system/systemd-firstboot.service"
rm -rf "$tmp/var/cache/apt/archives/"*.deb
echo "$stamp_value" >"$tmp/.rollbackmesh-rootfs"
rm -rf "$rootfs"
mv "$tmp" "$rootfs"
trap - EXIT
echo "$rootfs"
