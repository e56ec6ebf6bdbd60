#!/usr/bin/env bash
# Tests the Python, Kotlin and Swift bindings (and runs their examples): installs the
# toolchains (cached under /var/cache/eservices), builds the Rust library once (debug), then
# runs each language's test.sh. Runs all three even if one fails; exits 1 if any failed.
#
# Usage: bash bindings/test.sh [python] [kotlin] [swift]      (no argument: all three)
set -euo pipefail
# shellcheck source=bindings/lib.sh
. "$(dirname "$0")/lib.sh"
langs=("$@")
[ ${#langs[@]} -gt 0 ] || langs=(python kotlin swift)
for l in "${langs[@]}"; do
  [ -f "$REPO/bindings/$l/test.sh" ] || die "unknown language '$l' (python, kotlin or swift)"
done

# The Rust build (CPU) and the toolchain installs (network, disk) overlap: on a fresh machine
# each takes a few minutes.
build_rust &
build_pid=$!
if ! timed "toolchains" bash "$REPO/bindings/toolchains.sh" "${langs[@]}"; then
  kill "$build_pid" 2>/dev/null || true
  wait "$build_pid" || true
  die "toolchain install failed"
fi
wait "$build_pid" || die "the Rust build failed"
export ESERVICES_RUST_BUILT=1 # the language scripts reuse this build

failed=()
summary=()
for l in "${langs[@]}"; do
  log "== $l"
  t0=$SECONDS
  if bash "$REPO/bindings/$l/test.sh"; then
    summary+=("$l ok ($((SECONDS - t0)) s)")
  else
    failed+=("$l")
    summary+=("$l FAILED ($((SECONDS - t0)) s)")
  fi
done
log "bindings: ${summary[*]}"
[ ${#failed[@]} -eq 0 ] || die "bindings tests failed: ${failed[*]}"
