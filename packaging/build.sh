#!/usr/bin/env bash
# Builds RollbackMesh's node packages and the air-gapped bundle:
#   1. dotnet publish for linux-x64: rollbackmesh-agent as a NativeAOT net10.0 executable (one native file, plus
#      libe_sqlite3.so beside it for the journal), linked with clang-14; rollbackmesh-coordinator and rollbackmesh
#      (CLI) as self-contained single files. Nodes need no .NET;
#   2. .deb packages (dpkg-deb) and .rpm packages (rpmbuild): rollbackmesh-agent, and rollbackmesh-coordinator
#      which also carries the CLI;
#   3. rollbackmesh-<version>-linux-x64.tar.gz: the packages, the built-in runbooks, install.sh and SHA256SUMS.
# Everything goes to ./out (gitignored). Usage:
#   packaging/build.sh [--version V] [--only agent|coordinator] [--deb-only|--rpm-only] [--skip-publish] [--fast] [--out DIR]
#   --version       package version (default: <Version> of Directory.Build.props); also stamped into the binaries
#   --only          build one package (no bundle); the nspawn tests use --only agent --deb-only
#   --deb-only, --rpm-only  build one package format only (no bundle)
#   --skip-publish  repackage the binaries already in OUT/publish (e.g. the same build under a higher version)
#   --fast          gzip -1 instead of xz for the payloads (tests: xz of the coordinator's ~70 MB takes minutes on 2 busy cores)
# Publishing the agent needs clang-14 (NativeAOT's linker driver; `clang` itself need not exist): when it is missing
# and this runs as root on a Debian-like machine, it is installed with apt-get, as tests/install-test-deps.sh does.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
pkg=$repo/packaging
out=$repo/out
version=""
only=""
deb_only=false
rpm_only=false
skip_publish=false
fast=false
while (($#)); do
  case "$1" in
    --version) version=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --deb-only) deb_only=true; shift ;;
    --rpm-only) rpm_only=true; shift ;;
    --skip-publish) skip_publish=true; shift ;;
    --fast) fast=true; shift ;;
    --out) out=$(realpath -m "$2"); shift 2 ;;
    *) echo "build.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ -z "$version" ]; then
  version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo/Directory.Build.props" | head -n 1)
fi
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "build.sh: version must be N.N.N, got '$version'" >&2; exit 2; }
case "$only" in
  "") components=(agent coordinator) ;;
  agent|coordinator) components=("$only") ;;
  *) echo "build.sh: --only agent|coordinator" >&2; exit 2 ;;
esac
for tool in dpkg-deb sha256sum tar; do
  command -v "$tool" >/dev/null || { echo "build.sh: $tool is missing (apt-get install dpkg-dev coreutils tar)" >&2; exit 1; }
done
if ! $deb_only && ! command -v rpmbuild >/dev/null; then
  echo "build.sh: rpmbuild is missing (apt-get install rpm), or pass --deb-only" >&2
  exit 1
fi
# Payload compression: xz for what ships (smallest bundle), gzip -1 for throwaway test builds.
if $fast; then
  deb_compress=(-Zgzip -z1) rpm_payload=w1.gzdio
else
  deb_compress=(-Zxz -z6) rpm_payload=w6.xzdio
fi
if ! $skip_publish && [[ " ${components[*]} " == *" agent "* ]] && ! command -v clang-14 >/dev/null; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "installing clang-14 (the NativeAOT link of the agent) ..."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends clang-14 >/dev/null
  else
    echo "build.sh: clang-14 is missing: the agent is linked NativeAOT with it (apt-get install clang-14)" >&2
    exit 1
  fi
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
mkdir -p "$out"

# app name -> project; the coordinator package carries the CLI too.
declare -A project=(
  [agent]=agent/RollbackMesh.Agent
  [coordinator]=coordinator/RollbackMesh.Coordinator
  [cli]=coordinator/RollbackMesh.Cli
)
declare -A executable=([agent]=rollbackmesh-agent [coordinator]=rollbackmesh-coordinator [cli]=rollbackmesh)
apps=()
for c in "${components[@]}"; do
  if [ "$c" = agent ]; then apps+=(agent); else apps+=(coordinator cli); fi
done

publish() {
  local app=$1 dest=$out/publish/$1
  rm -rf "$dest"
  # --artifacts-path keeps this Release/linux-x64 build's obj and bin apart from the developers' own builds.
  local how
  if [ "$app" = agent ]; then
    # NativeAOT: the agent is one native executable (no .NET runtime, no JIT), small and quick to start on every node.
    # Its debug symbols go to a .dbg file beside it, which is not shipped.
    how=(-p:PublishAot=true -p:CppCompilerAndLinker=clang-14)
  else
    # Native libraries (SQLite) stay beside the executable instead of being extracted to $HOME at run time.
    how=(--self-contained true -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=false -p:DebugType=none)
  fi
  dotnet publish "$repo/${project[$app]}" -c Release -r linux-x64 "${how[@]}" \
    -p:GenerateDocumentationFile=false -p:Version="$version" \
    --artifacts-path "$out/artifacts" -o "$dest" -nologo -v quiet
  [ -x "$dest/${executable[$app]}" ] || { echo "build.sh: publish produced no $dest/${executable[$app]}" >&2; exit 1; }
  rm -f "$dest"/*.pdb "$dest"/*.dbg
}
if $skip_publish; then
  for app in "${apps[@]}"; do
    [ -x "$out/publish/$app/${executable[$app]}" ] || { echo "build.sh: --skip-publish but $out/publish/$app is empty" >&2; exit 1; }
  done
else
  for app in "${apps[@]}"; do
    if [ "$app" = agent ]; then kind="NativeAOT"; else kind="self-contained"; fi
    echo "publishing ${executable[$app]} $version ($kind linux-x64)"
    publish "$app"
  done
fi

# stage ROOT APP: /usr/lib/rollbackmesh/APP/* and the /usr/bin symlink (the .NET host and the NativeAOT runtime
# resolve the real path, so libraries beside the executable are found through the link).
stage_app() {
  local root=$1 app=$2
  install -d -m 0755 "$root/usr/lib/rollbackmesh/$app" "$root/usr/bin"
  cp -a "$out/publish/$app/." "$root/usr/lib/rollbackmesh/$app/"
  find "$root/usr/lib/rollbackmesh/$app" -type f -exec chmod 0644 {} +
  chmod 0755 "$root/usr/lib/rollbackmesh/$app/${executable[$app]}"
  ln -sfn "../lib/rollbackmesh/$app/${executable[$app]}" "$root/usr/bin/${executable[$app]}"
}
# stage_component ROOT COMPONENT UNITDIR: the whole file tree of one package.
stage_component() {
  local root=$1 c=$2 unitdir=$3
  rm -rf "$root"
  install -d -m 0755 "$root/etc/rollbackmesh" "$root/$unitdir" "$root/usr/share/doc/rollbackmesh-$c"
  install -m 0644 "$pkg/config/$c.yaml" "$root/etc/rollbackmesh/$c.yaml"
  install -m 0644 "$pkg/systemd/rollbackmesh-$c.service" "$root/$unitdir/rollbackmesh-$c.service"
  printf 'RollbackMesh %s %s\nBuilt from %s\n' "$c" "$version" \
    "$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo 'an unknown commit')" \
    >"$root/usr/share/doc/rollbackmesh-$c/README"
  if [ "$c" = agent ]; then
    stage_app "$root" agent
  else
    stage_app "$root" coordinator
    stage_app "$root" cli
    install -d -m 0755 "$root/usr/share/rollbackmesh/runbooks"
    for f in "$repo"/coordinator/RollbackMesh.Coordinator/Runbooks/BuiltIn/*.yaml; do
      [ -e "$f" ] && install -m 0644 "$f" "$root/usr/share/rollbackmesh/runbooks/"
    done
  fi
}

build_deb() {
  local c=$1 name=rollbackmesh-$1
  local root=$out/stage/deb-$c
  stage_component "$root" "$c" lib/systemd/system
  install -d -m 0755 "$root/DEBIAN"
  local installed_kb depends
  installed_kb=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
  # glibc 2.34: what the binaries built on Debian 12 link against (the NativeAOT agent and libe_sqlite3.so alike);
  # the NativeAOT agent needs no libstdc++ or zlib (its runtime and zlib are linked in), OpenSSL is loaded for TLS.
  if [ "$c" = agent ]; then
    depends="libc6 (>= 2.34), libssl3 | libssl1.1"
  else
    depends="libc6 (>= 2.34), libgcc-s1, libstdc++6, zlib1g, libssl3 | libssl1.1, passwd"
  fi
  local description
  if [ "$c" = agent ]; then
    description="RollbackMesh node agent
 Dials out to the RollbackMesh coordinator and runs typed, journalled rollback steps
 (config files, packages, services, K3s, databases) on this node. A NativeAOT executable: no .NET needed."
  else
    description="RollbackMesh coordinator and operator CLI
 Sequences rollback runbooks across the fleet over gRPC and keeps its state in SQLite;
 includes the rollbackmesh command-line client. Self-contained: no .NET needed."
  fi
  cat >"$root/DEBIAN/control" <<CONTROL
Package: $name
Version: $version
Architecture: amd64
Maintainer: RollbackMesh <rollbackmesh@localhost>
Section: admin
Priority: optional
Installed-Size: $installed_kb
Depends: $depends
Description: $description
CONTROL
  # Conffiles: dpkg keeps an edited file on upgrade (and asks, or keeps it under --force-confold) and removes it
  # only on purge.
  echo "/etc/rollbackmesh/$c.yaml" >"$root/DEBIAN/conffiles"
  for script in postinst prerm postrm; do
    install -m 0755 "$pkg/deb/$c/$script" "$root/DEBIAN/$script"
  done
  dpkg-deb --root-owner-group "${deb_compress[@]}" --build "$root" "$out/${name}_${version}_amd64.deb" >/dev/null
  echo "built $out/${name}_${version}_amd64.deb"
}

build_rpm() {
  local c=$1 name=rollbackmesh-$1
  local root=$out/stage/rpm-$c top=$out/rpmbuild
  stage_component "$root" "$c" usr/lib/systemd/system
  mkdir -p "$top"
  rpmbuild -bb --quiet \
    --define "_topdir $top" --define "_rpmdir $out" --define "_build_name_fmt %%{NAME}-%%{VERSION}-%%{RELEASE}.%%{ARCH}.rpm" \
    --define "rbm_version $version" --define "rbm_stage $root" \
    --define "_binary_payload $rpm_payload" \
    "$pkg/rpm/$name.spec" >"$out/rpmbuild-$c.log" 2>&1 || { cat "$out/rpmbuild-$c.log" >&2; exit 1; }
  echo "built $out/$name-$version-1.x86_64.rpm"
}

for c in "${components[@]}"; do
  $rpm_only || build_deb "$c"
  $deb_only || build_rpm "$c"
done

if [ -z "$only" ] && ! $deb_only && ! $rpm_only; then
  bundle_name=rollbackmesh-$version-linux-x64
  b=$out/bundle/$bundle_name
  rm -rf "$b"
  install -d "$b/packages" "$b/runbooks"
  cp "$out"/rollbackmesh-{agent,coordinator}_"$version"_amd64.deb "$out"/rollbackmesh-{agent,coordinator}-"$version"-1.x86_64.rpm "$b/packages/"
  for f in "$repo"/coordinator/RollbackMesh.Coordinator/Runbooks/BuiltIn/*.yaml; do
    [ -e "$f" ] && cp "$f" "$b/runbooks/"
  done
  install -m 0755 "$pkg/bundle/install.sh" "$b/install.sh"
  (cd "$b" && find . -type f ! -name SHA256SUMS -printf '%P\n' | LC_ALL=C sort | xargs sha256sum >SHA256SUMS)
  tar -C "$out/bundle" --owner=0 --group=0 -czf "$out/$bundle_name.tar.gz" "$bundle_name"
  echo "built $out/$bundle_name.tar.gz"
fi

echo
echo "sizes:"
for f in "$out"/*.deb "$out"/*.rpm "$out"/*.tar.gz; do
  [ -e "$f" ] && printf '  %8s  %s\n' "$(du -k "$f" | cut -f1)K" "$(basename "$f")"
done
for app in "${apps[@]}"; do
  printf '  %8s  publish/%s/%s (uncompressed)\n' "$(du -k "$out/publish/$app/${executable[$app]}" | cut -f1)K" "$app" "${executable[$app]}"
done
