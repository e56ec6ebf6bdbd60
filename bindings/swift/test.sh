#!/usr/bin/env bash
# Swift bindings: generates the EServices sources and C header from the debug cdylib into the
# SwiftPM package (git-ignored), then runs `swift test` and the example inside the cached Debian
# trixie chroot (bindings/toolchains.sh swift) with the repository bind-mounted at /src.
#
# Usage: bash bindings/swift/test.sh [tests|example|all]        (default: all)
# Needs root (or password-less sudo) for mount and chroot.
set -euo pipefail
# shellcheck source=bindings/lib.sh
. "$(dirname "$0")/../lib.sh"
what=${1:-all}
case "$what" in tests | example | all) ;; *) die "usage: $0 [tests|example|all]" ;; esac

bash "$REPO/bindings/toolchains.sh" swift
build_rust
generate swift

PKG=$REPO/bindings/swift
mkdir -p "$PKG/Sources/EServicesFFI" "$PKG/Sources/EServices" "$PKG/lib"
# Copy only when changed, so SwiftPM's incremental build stays incremental.
put() { cmp -s "$1" "$2" || cp -f "$1" "$2"; }
put "$STAGE/swift/EServicesFFI.h" "$PKG/Sources/EServicesFFI/EServicesFFI.h"
# SwiftPM wants a system-library target's module map named module.modulemap.
put "$STAGE/swift/EServicesFFI.modulemap" "$PKG/Sources/EServicesFFI/module.modulemap"
put "$STAGE/swift/EServices.swift" "$PKG/Sources/EServices/EServices.swift"
put "$STAGE/lib/libeservices.so" "$PKG/lib/libeservices.so"

# One run at a time per chroot (the /src mount point is shared); mounts are always undone.
exec 9>"$CACHE/swift/lock"
flock 9
umount_stale
trap umount_all EXIT
trap_exit_signals
mount_chroot_system
mnt "$SWIFT_ROOTFS/src" --bind "$REPO"

if [ "$what" != example ]; then
  timed "swift test" in_chroot 'cd /src/bindings/swift && swift test 2>&1'
fi
if [ "$what" != tests ]; then
  timed "swift example" in_chroot 'cd /src/bindings/swift && swift run -q Quickstart 2>&1'
fi
