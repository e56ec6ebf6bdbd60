#!/usr/bin/env bash
# Python verification benchmark, in one run: builds the release wheel into a benchmark venv
# (with `cryptography` and `rfc8785` for the pure-Python verifier), runs the native Rust
# `documents` benchmark for the same operation, then bindings/python/bench.py, which prints
# bindings vs native vs pure Python. Takes a few minutes; not part of the tests.
#
# Usage: bash bindings/python/bench.sh [seconds per measurement, default 5]
set -euo pipefail
# shellcheck source=bindings/lib.sh
. "$(dirname "$0")/../lib.sh"
seconds=${1:-5}

bash "$REPO/bindings/toolchains.sh" python
venv=$CACHE/python/bench-venv
if [ ! -x "$venv/bin/python" ]; then
  "$PY_VENV/bin/python" -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check "cryptography>=42" "rfc8785>=0.1.4" </dev/null
export CARGO_TARGET_DIR=$TARGET_DIR
# A release wheel (what apps ship), not the tests' debug build.
(cd / && timed "pip install ./bindings/python (release)" \
  "$venv/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps \
  "$REPO/bindings/python" </dev/null)
(cd "$REPO" && timed "cargo bench (native verify)" \
  cargo bench --bench documents -- 'documents/(ed25519|es256)/(ring_)?verify' >&2)
"$venv/bin/python" "$REPO/bindings/python/bench.py" --criterion "$TARGET_DIR/criterion" --seconds "$seconds"
