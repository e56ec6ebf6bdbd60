# Shared helpers for the bindings scripts; sourced, never run.
#
# Paths:
#   REPO         the repository root
#   CACHE        toolchain cache outside the repo (ESERVICES_CACHE, default /var/cache/eservices)
#   TARGET_DIR   cargo's target dir (honours CARGO_TARGET_DIR and cargo config)
#   STAGE        $TARGET_DIR/bindings: the built cdylib and the generated bindings
# shellcheck shell=bash disable=SC2034  # (variables here are used by the sourcing scripts)

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${ESERVICES_CACHE:-/var/cache/eservices}
export DEBIAN_FRONTEND=noninteractive

# Say where a script stopped when `set -e` ends it.
trap 'echo "[bindings] failed: $BASH_COMMAND (${BASH_SOURCE[0]}:$LINENO)" >&2' ERR

log() { echo "[bindings $(date +%H:%M:%S)] $*" >&2; }
die() { echo "[bindings] error: $*" >&2; exit 1; }

# timed NAME CMD...: runs CMD and reports its wall time; returns CMD's status.
timed() {
  local name=$1 t0=$SECONDS rc=0
  shift
  "$@" || rc=$?
  if [ "$rc" = 0 ]; then log "$name: $((SECONDS - t0)) s"; else log "$name: FAILED (exit $rc)"; fi
  return "$rc"
}

# Runs a command as root (directly, or through sudo when not root).
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi
}

# apt_install PKG...: installs the Debian packages that are missing; `apt-get update` only if
# something must be installed (and at most once per run).
APT_UPDATED=${APT_UPDATED:-0}
apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "need the Debian packages: ${missing[*]} (no apt-get here)"
  if [ "$APT_UPDATED" != 1 ]; then
    as_root apt-get update -q </dev/null
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${missing[@]}" </dev/null
}

target_dir() {
  if [ -n "${CARGO_TARGET_DIR:-}" ]; then
    case "$CARGO_TARGET_DIR" in /*) echo "$CARGO_TARGET_DIR" ;; *) echo "$REPO/$CARGO_TARGET_DIR" ;; esac
  else
    (cd "$REPO" && cargo metadata --format-version 1 --no-deps </dev/null |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
  fi
}
TARGET_DIR=$(target_dir)
STAGE=$TARGET_DIR/bindings

# The crate version from Cargo.toml (what library_version() must return).
crate_version() {
  sed -n '/^\[package\]/,/^\[/{s/^version *= *"\(.*\)"/\1/p}' "$REPO/Cargo.toml" | head -1
}

# build_rust: builds the debug cdylib (default features) and the uniffi-bindgen bin once per
# run (ESERVICES_RUST_BUILT=1 marks it done for child scripts), then stages the library in
# $STAGE/lib. Generated bindings always come from that exact library.
build_rust() {
  if [ "${ESERVICES_RUST_BUILT:-0}" = 1 ] && [ -f "$STAGE/lib/libeservices.so" ]; then
    return 0
  fi
  command -v cargo >/dev/null || die "cargo not found (install Rust: https://rustup.rs)"
  # The bin needs the `bindgen` feature (uniffi's CLI); the library is built with default
  # features afterwards, so target/debug/libeservices.so is the one users and tests load.
  (cd "$REPO" && timed "cargo build uniffi-bindgen" \
    cargo build --quiet --features bindgen --bin uniffi-bindgen </dev/null)
  (cd "$REPO" && timed "cargo build --lib" cargo build --quiet --lib </dev/null)
  mkdir -p "$STAGE/lib"
  cp -f "$TARGET_DIR/debug/libeservices.so" "$STAGE/lib/libeservices.so.tmp"
  mv -f "$STAGE/lib/libeservices.so.tmp" "$STAGE/lib/libeservices.so"
  export ESERVICES_RUST_BUILT=1
}

# generate LANG: writes the LANG bindings of the staged library to $STAGE/LANG (library mode,
# with bindings/uniffi.toml for the Kotlin package and Swift module names).
generate() {
  local lang=$1 out=$STAGE/$1
  rm -rf "$out.tmp"
  # (run from the repo: library mode reads `cargo metadata` to find the crate)
  (cd "$REPO" && "$TARGET_DIR/debug/uniffi-bindgen" generate --no-format \
    --config "$REPO/bindings/uniffi.toml" \
    --library "$STAGE/lib/libeservices.so" --language "$lang" --out-dir "$out.tmp" </dev/null)
  rm -rf "$out"
  mv "$out.tmp" "$out"
}

# ---- toolchain locations (installed by bindings/toolchains.sh; used by the sourcing scripts) ----
PY_VENV=$CACHE/python/venv
KOTLIN_NPM_VERSION=2.4.20
KOTLIN_HOME=$CACHE/kotlin/node_modules/kotlin-compiler
JNA_JAR=/usr/share/java/jna.jar
SWIFT_ROOTFS=$CACHE/swift/rootfs
SWIFT_TARBALL=$CACHE/swift/debian-trixie-swiftlang-rootfs.tar.zst

# ---- mounts for the Swift chroot (always undone by umount_all, run from an EXIT trap) ----
MOUNTED=()
mnt() { # mnt TARGET mount-args...
  local tgt=$1
  shift
  mkdir -p "$tgt"
  if ! mountpoint -q "$tgt"; then
    as_root mount "$@" "$tgt"
    MOUNTED+=("$tgt")
  fi
}
umount_all() {
  local i
  for ((i = ${#MOUNTED[@]} - 1; i >= 0; i--)); do
    as_root umount "${MOUNTED[$i]}" 2>/dev/null || as_root umount -l "${MOUNTED[$i]}" || true
  done
  MOUNTED=()
}
# Unmounts whatever an interrupted earlier run left mounted under the chroot (deepest first).
# Call it only while holding the chroot's lock.
umount_stale() {
  local m
  { findmnt -rn -o TARGET | grep "^$SWIFT_ROOTFS/" || true; } | sort -r | while read -r m; do
    as_root umount "$m" 2>/dev/null || as_root umount -l "$m" || true
  done
}
# Makes the EXIT trap (umount_all) run on Ctrl-C and kill too.
trap_exit_signals() { trap 'exit 130' INT; trap 'exit 143' TERM HUP; }
mount_chroot_system() {
  mnt "$SWIFT_ROOTFS/proc" -t proc proc
  mnt "$SWIFT_ROOTFS/sys" -t sysfs sys
  mnt "$SWIFT_ROOTFS/dev" --bind /dev
  mnt "$SWIFT_ROOTFS/dev/pts" --bind /dev/pts
}
# in_chroot 'CMD': runs CMD with bash inside the Swift chroot, with a clean environment.
in_chroot() {
  as_root chroot "$SWIFT_ROOTFS" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    DEBIAN_FRONTEND=noninteractive /bin/bash -c "$1" </dev/null
}

# sha256 of files (for caches keyed by content).
hash_files() { cat "$@" | sha256sum | cut -c1-16; }
