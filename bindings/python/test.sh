#!/usr/bin/env bash
# Python bindings: `pip install ./bindings/python` into the cached venv (maturin builds the
# wheel), then pytest on bindings/python/tests and the example, both run from outside the repo
# so they import the installed module.
#
# Usage: bash bindings/python/test.sh [tests|example|all]        (default: all)
set -euo pipefail
# shellcheck source=bindings/lib.sh
. "$(dirname "$0")/../lib.sh"
what=${1:-all}
case "$what" in tests | example | all) ;; *) die "usage: $0 [tests|example|all]" ;; esac

bash "$REPO/bindings/toolchains.sh" python
# Shares cargo's target dir, and builds the debug profile so the wheel reuses the one debug
# build of the other steps (seconds instead of a release build). `pip install ./bindings/python`
# without this variable builds release. ESERVICES_PY_PROFILE=release tests that instead.
export CARGO_TARGET_DIR=$TARGET_DIR
export MATURIN_PEP517_ARGS="--profile ${ESERVICES_PY_PROFILE:-dev}"
cd / # pip install and the tests work from any directory
timed "pip install ./bindings/python" \
  "$PY_VENV/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps \
  "$REPO/bindings/python" </dev/null

if [ "$what" != example ]; then
  timed "pytest" "$PY_VENV/bin/python" -m pytest -q -p no:cacheprovider "$REPO/bindings/python/tests"
fi
if [ "$what" != tests ]; then
  timed "python example" "$PY_VENV/bin/python" "$REPO/bindings/python/examples/quickstart.py"
fi
