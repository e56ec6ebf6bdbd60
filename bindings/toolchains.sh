#!/usr/bin/env bash
# Installs the toolchains the bindings tests need, idempotently, caching everything outside
# the repository under $ESERVICES_CACHE (default /var/cache/eservices):
#
#   python  a venv (python/venv) with pip and pytest; maturin comes through pip's build isolation
#   kotlin  kotlinc from the npm package `kotlin-compiler` (kotlin/), Debian's JNA and a JRE
#   swift   Debian trixie's `swiftlang` in a debootstrapped chroot (swift/rootfs), plus a zstd
#           tarball of the ready rootfs (swift/*.tar.zst) that later installs restore from
#
# Usage: bash bindings/toolchains.sh [python] [kotlin] [swift]     (no argument: all three)
# Needs Debian/Ubuntu with apt, and root (or password-less sudo) for apt, mount and chroot.
set -euo pipefail
# shellcheck source=bindings/lib.sh
. "$(dirname "$0")/lib.sh"

install_python() {
  command -v python3 >/dev/null || apt_install python3
  if [ ! -x "$PY_VENV/bin/python" ] || ! "$PY_VENV/bin/python" -c 'import sys' 2>/dev/null; then
    rm -rf "$PY_VENV"
    mkdir -p "$(dirname "$PY_VENV")"
    if ! python3 -m venv "$PY_VENV" 2>/dev/null; then
      rm -rf "$PY_VENV"
      apt_install python3-venv
      python3 -m venv "$PY_VENV"
    fi
  fi
  if ! "$PY_VENV/bin/python" -c 'import pytest' 2>/dev/null; then
    "$PY_VENV/bin/pip" install --quiet --disable-pip-version-check "pytest>=8,<10" </dev/null
  fi
  log "python: $("$PY_VENV/bin/python" --version), pytest $("$PY_VENV/bin/python" -m pytest --version 2>&1 | awk '{print $2}')"
}

install_kotlin() {
  local pkgs=(libjna-java)
  command -v java >/dev/null || pkgs+=(default-jre-headless)
  command -v npm >/dev/null || pkgs+=(npm)
  apt_install "${pkgs[@]}"
  [ -f "$JNA_JAR" ] || die "$JNA_JAR missing after installing libjna-java"
  if [ ! -x "$KOTLIN_HOME/bin/kotlinc" ] ||
    ! grep -q "\"version\": \"$KOTLIN_NPM_VERSION\"" "$KOTLIN_HOME/package.json" 2>/dev/null; then
    mkdir -p "$CACHE/kotlin"
    npm install --silent --no-audit --no-fund --prefix "$CACHE/kotlin" \
      "kotlin-compiler@$KOTLIN_NPM_VERSION" </dev/null
  fi
  [ -x "$KOTLIN_HOME/bin/kotlinc" ] || die "kotlinc missing after npm install"
  log "kotlin: kotlinc $KOTLIN_NPM_VERSION ($KOTLIN_HOME), JNA $JNA_JAR"
}

# The Debian mirror the host already uses (for debootstrap).
debian_mirror() {
  local u
  u=$(grep -hsE '^\s*URIs:' /etc/apt/sources.list.d/*.sources |
    awk '{for (i = 2; i <= NF; i++) print $i}' | grep -E '/debian/?$' | head -1 || true)
  if [ -z "$u" ]; then
    u=$(grep -hsE '^\s*deb\s' /etc/apt/sources.list /etc/apt/sources.list.d/*.list |
      awk '{for (i = 2; i <= NF; i++) if ($i ~ /^(https?|file):/) {print $i; exit}}' |
      grep -E '/debian/?$' | head -1 || true)
  fi
  echo "${u%/}"
}

install_swift() {
  [ -f "$SWIFT_ROOTFS/.swift-ready" ] && { log "swift: chroot ready ($SWIFT_ROOTFS)"; return 0; }
  apt_install debootstrap zstd
  mkdir -p "$(dirname "$SWIFT_ROOTFS")"
  exec 9>"$CACHE/swift/lock"
  flock 9
  [ -f "$SWIFT_ROOTFS/.swift-ready" ] && return 0 # made ready by a concurrent run
  umount_stale # never delete a rootfs with live mounts in it
  if [ -f "$SWIFT_TARBALL" ]; then
    log "swift: restoring the chroot from $SWIFT_TARBALL"
    as_root rm -rf "$SWIFT_ROOTFS"
    mkdir -p "$SWIFT_ROOTFS"
    if zstd -dc "$SWIFT_TARBALL" | as_root tar -C "$SWIFT_ROOTFS" --numeric-owner -xpf - &&
      [ -f "$SWIFT_ROOTFS/.swift-ready" ]; then
      return 0
    fi
    log "swift: the tarball is unusable; building the chroot afresh"
    as_root rm -f "$SWIFT_TARBALL"
  fi
  local mirror=${DEBIAN_MIRROR:-$(debian_mirror)}
  mirror=${mirror:-http://deb.debian.org/debian}
  as_root rm -rf "$SWIFT_ROOTFS"
  mkdir -p "$(dirname "$SWIFT_ROOTFS")"
  log "swift: debootstrap trixie from $mirror (a few minutes, once)"
  timed "debootstrap" as_root debootstrap --variant=minbase trixie "$SWIFT_ROOTFS" "$mirror" >/dev/null
  as_root cp /etc/resolv.conf "$SWIFT_ROOTFS/etc/resolv.conf"
  trap umount_all EXIT
  trap_exit_signals
  mount_chroot_system
  # libc6-dev is only a Recommends of gcc, but swift needs the C headers.
  timed "apt-get install swiftlang" in_chroot \
    'apt-get update -q && apt-get install -y -q --no-install-recommends swiftlang libc6-dev >/dev/null && apt-get clean'
  in_chroot 'swift --version'
  umount_all
  as_root touch "$SWIFT_ROOTFS/.swift-ready"
  log "swift: caching the chroot as $SWIFT_TARBALL"
  timed "tar | zstd" bash -c "set -o pipefail; $(declare -f as_root); as_root tar -C '$SWIFT_ROOTFS' --numeric-owner -cpf - . |
    zstd -T0 -3 -q -o '$SWIFT_TARBALL.tmp'"
  mv -f "$SWIFT_TARBALL.tmp" "$SWIFT_TARBALL"
}

main() {
  local langs=("$@")
  [ ${#langs[@]} -gt 0 ] || langs=(python kotlin swift)
  local l
  for l in "${langs[@]}"; do
    case "$l" in
      python | kotlin | swift) timed "toolchain $l" "install_$l" ;;
      *) die "unknown toolchain '$l' (python, kotlin or swift)" ;;
    esac
  done
}

main "$@"
