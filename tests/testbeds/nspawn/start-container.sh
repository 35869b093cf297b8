#!/bin/sh
# Boots one testbed container in the foreground (the caller keeps this process: it is systemd-nspawn after exec).
# Usage: CGROUPS="dir ..." start-container.sh MACHINE ROOTFS RUNDIR [extra systemd-nspawn arguments...]
#   CGROUPS  cgroup directories to create and enter first: without a host systemd, nspawn must start from a cgroup
#            of its own or it leaves payload/ and supervisor/ cgroups in its caller's (see TESTBED.md)
#   RUNDIR   gets the container's console log (console.log) and its system bus socket (bus/system_bus_socket)
# --volatile=overlay: every container writes to its own tmpfs over the shared, read-only-used rootfs, so three
# containers share one debootstrap and nothing survives a stop. --network-veth: the host side is ve-MACHINE.
set -eu
machine=$1 rootfs=$2 rundir=$3
shift 3
mkdir -p "$rundir/bus"
exec >"$rundir/console.log" 2>&1
for dir in ${CGROUPS:-}; do
  mkdir -p "$dir"
  echo $$ >"$dir/cgroup.procs"
done
exec systemd-nspawn -D "$rootfs" -b --register=no --keep-unit --console=passive -M "$machine" \
  --volatile=overlay --bind="$rundir/bus:/run/dbus" --network-veth "$@"
